using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using HomeLab.Cli.Views;
using HomeLab.Hooks;
using HomeLab.Modules;
using HomeLab.Ollama;
using HomeLab.Spec;
using HomeLab.Tools;
using HomeLab.Workspace;

namespace HomeLab.Cli;

/// <summary>
/// <c>homelab hooks STACK</c>: brings each instance to its declared models and proves it healthy. The JSON report goes
/// to stdout (or --report FILE), progress and the human summary to stderr. Exit 0 only when every declared model is
/// present and every check passed, 1 when something failed, 2 for a bad stack file or command line.
/// </summary>
internal static class HooksCommand
{
    public const string CaCertificateVariable = "HOMELAB_CA_CERT";

    public static Command Create()
    {
        var stack = new Argument<string>("STACK") { Description = "Stack whose instances to bring up to date" };
        var instance = new Option<string?>("--instance") { Description = "Only this instance (default: every instance in the stack)" };
        var only = new Option<string[]>("--only")
        {
            Description = "Run only these steps, e.g. --only verify (repeatable; waiting for Ollama always runs)",
            AllowMultipleArgumentsPerToken = true,
        };
        only.AcceptOnlyFromAmong([.. HookPlan.AllSteps.Select(StepName)]);
        var report = new Option<string?>("--report") { Description = "Write the JSON report to this file instead of stdout" };
        var url = new Option<string?>("--url") { Description = "Base URL to reach the instance at instead of the one the stack implies (proxy route or published port)" };
        var caCertificate = new Option<string?>("--ca-cert") { Description = $"PEM root certificate to trust, e.g. Caddy's internal CA (default: ${CaCertificateVariable})" };
        var command = new Command("hooks", "Pull, create, remove and warm the declared models, then verify the instance (run by Pulumi after deploys).")
        {
            stack, instance, only, report, url, caCertificate,
        };
        command.SetAction((result, cancel) => Cli.GuardAsync(() =>
        {
            var steps = result.GetValue(only) is { Length: > 0 } chosen
                ? chosen.Select(s => HookPlan.AllSteps.First(step => StepName(step) == s)).Append(HookStep.Wait).ToHashSet()
                : HookPlan.AllSteps.ToHashSet();
            var request = new HooksRequest(result.GetValue(stack)!, result.GetValue(instance), steps, result.GetValue(report), result.GetValue(url), result.GetValue(caCertificate));
            return RunAsync(request, ProjectDirectory.Find(), Environment.GetEnvironmentVariable, Console.Out, Console.Error, !Console.IsErrorRedirected, HookOptions.Defaults, SystemToolRunner.Instance, connect: null, cancel);
        }));
        return command;
    }

    /// <param name="connect">Dials instead of resolving the URL's host (see <see cref="OllamaHttp.CreateHandler"/>); null in the real command.</param>
    /// <param name="tools">Runs the command that reads the proxy's internal CA (docker or ssh).</param>
    public static async Task<int> RunAsync(HooksRequest request, ProjectDirectory workspace, Func<string, string?> environment, TextWriter stdout, TextWriter stderr, bool terminal, HookOptions options, IToolRunner tools, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect, CancellationToken cancel)
    {
        var spec = workspace.Load(request.Stack);
        var instances = Instances(spec, request.Instance, request.Url);
        var url = request.Url is null ? null : ParseUrl(request.Url);
        using var caCertificate = TrustedRoot(spec, request.CaCertificate, workspace, environment, tools, stderr);
        using var handler = OllamaHttp.CreateHandler(caCertificate, connect);
        var reports = new List<InstanceReport>();
        var credentials = new List<HookCredential>();
        foreach (var instance in instances)
        {
            var plan = HookPlan.For(spec, instance);
            plan = plan with { BaseUrl = url ?? plan.BaseUrl };
            var credential = plan.Credential is { } variable ? ReadCredential(spec, variable, environment) : null;
            if (credential is not null)
            {
                credentials.Add(credential);
            }

            var console = HookConsoles.Create(stderr, terminal, text => credential?.Redact(text) ?? text);
            using var connection = new OllamaConnection(handler, plan.Endpoint(credential), options.RequestTimeout);
            var report = await new HookRunner(connection, plan, options, console, credential).RunAsync(request.Steps, cancel).ConfigureAwait(false);
            reports.Add(report);
            HookSummary.Write(report, spec.Name, stderr);
        }

        var all = new HooksReport(spec.Name, reports.All(r => r.Ok), reports);
        var json = credentials.Aggregate(all.ToJson(), (text, credential) => credential.Redact(text)) + "\n";
        if (request.ReportFile is { } file)
        {
            await File.WriteAllTextAsync(file, json, cancel).ConfigureAwait(false);
        }
        else
        {
            await stdout.WriteAsync(json).ConfigureAwait(false);
            await stdout.FlushAsync(cancel).ConfigureAwait(false);
        }

        return all.Ok ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>The instances a command addresses: all, or the one --instance names; --url fits only one.</summary>
    public static IReadOnlyList<InstanceSpec> Instances(StackSpec spec, string? instance, string? url)
    {
        IReadOnlyList<InstanceSpec> instances = instance is null
            ? spec.Instances
            : [spec.Instances.FirstOrDefault(i => i.Name == instance)
                ?? throw new UsageException($"stack '{spec.Name}' has no instance '{instance}' — its instances: {string.Join(", ", spec.Instances.Select(i => i.Name))}")];
        return url is not null && instances.Count > 1 ? throw new UsageException("--url names one instance's address; add --instance NAME") : instances;
    }

    public static string StepName(HookStep step) => step.ToString().ToLowerInvariant();

    /// <summary>
    /// The root certificate the hooks trust besides the system's: the operator's (--ca-cert, HOMELAB_CA_CERT), else
    /// the proxy's internal CA read from the proxy host when the hooks go through it, else none.
    /// </summary>
    public static X509Certificate2? TrustedRoot(StackSpec spec, string? caCertificate, ProjectDirectory workspace, Func<string, string?> environment, IToolRunner tools, TextWriter log)
    {
        if ((caCertificate ?? NonEmpty(environment(CaCertificateVariable))) is { } file)
        {
            if (!File.Exists(file))
            {
                throw new UsageException($"CA certificate file '{file}' does not exist — give the proxy's root certificate (PEM) with --ca-cert or ${CaCertificateVariable}");
            }

            try
            {
                return X509CertificateLoader.LoadCertificateFromFile(file);
            }
            catch (CryptographicException e)
            {
                throw new UsageException($"CA certificate file '{file}' is not a certificate ({e.Message}) — give the proxy's root certificate in PEM form");
            }
        }

        return spec.HooksThroughProxy && ProxyRootCertificate.ReadCommand(spec, workspace.Root) is { } command
            ? ProxyRootCertificate.Read(command, tools, log)
            : null;
    }

    public static HookCredential ReadCredential(StackSpec spec, Conventions.CredentialVariable variable, Func<string, string?> environment) =>
        NonEmpty(environment(variable.Variable)) is { } value
            ? HookCredential.From(spec.Proxy!.Auth, variable, value)
            : throw new UsageException($"the hooks reach the proxy with secret config '{variable.SecretKey}', but {variable.Variable} is not set — Pulumi sets it; "
                + $"by hand run: export {variable.Variable}=\"$(pulumi config get {variable.SecretKey} --stack {spec.Name})\"");

    public static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"--url '{text}' is not an http:// or https:// address");
        }

        if (url.UserInfo.Length > 0)
        {
            throw new UsageException("--url carries credentials; remove them — the hooks read the proxy credential from the environment");
        }

        return url;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
