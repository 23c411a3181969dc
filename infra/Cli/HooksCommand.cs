using System.CommandLine;

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
    public static Command Create()
    {
        var stack = new Argument<string>("STACK") { Description = "Stack whose instances to bring up to date" };
        var instance = new Option<string?>("--instance") { Description = "Only this instance (default: every instance in the stack)" };
        var only = new Option<string[]>("--only")
        {
            Description = "Run only these steps, e.g. --only verify (repeatable; waiting for Ollama always runs)",
            AllowMultipleArgumentsPerToken = true,
        };
        only.AcceptOnlyFromAmong([.. HookStepWords.Steps.Words]);
        var report = new Option<string?>("--report") { Description = "Write the JSON report to this file instead of stdout" };
        var url = new Option<string?>("--url") { Description = "Base URL to reach the instance at instead of the one the stack implies (proxy route or published port)" };
        var caCertificate = new Option<string?>("--ca-cert") { Description = $"PEM root certificate to trust, e.g. Caddy's internal CA (default: ${InstanceAccess.CaCertificateVariable})" };
        var command = new Command("hooks", "Pull, create, remove and warm the declared models, then verify the instance (run by Pulumi after deploys).")
        {
            stack, instance, only, report, url, caCertificate,
        };
        command.SetAction((result, cancel) => Cli.GuardAsync(() =>
        {
            var steps = result.GetValue(only) is { Length: > 0 } chosen
                ? chosen.Select(HookStepWords.Steps.Value).Append(HookStep.Wait).ToHashSet()
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
        var spec = workspace.Load(request.Stack, Targets.Rules);
        var instances = InstanceAccess.Instances(spec, request.Instance, request.Url);
        var url = request.Url is null ? null : InstanceAccess.ParseUrl(request.Url);
        using var caCertificate = InstanceAccess.TrustedRoot(spec, request.CaCertificate, workspace.Root, environment, tools, stderr);
        using var handler = OllamaHttp.CreateHandler(caCertificate, connect);
        var reports = new List<InstanceReport>();
        var credentials = new List<HookCredential>();
        foreach (var instance in instances)
        {
            var (plans, credential) = InstanceAccess.Plans(spec, instance, url, environment);
            if (credential is not null)
            {
                credentials.Add(credential);
            }

            foreach (var plan in plans)
            {
                var console = HookConsoles.Create(stderr, terminal, text => credential?.Redact(text) ?? text);
                using var connection = new OllamaConnection(handler, plan.Endpoint(credential), options.RequestTimeout);
                using var webui = InstanceAccess.Webui(plan.Webui, handler, credential, signIn: request.Steps.Contains(HookStep.Verify), environment, options.RequestTimeout, spec.Name);
                var report = await new HookRunner(connection, plan, options, console, credential, webui).RunAsync(request.Steps, cancel).ConfigureAwait(false);
                reports.Add(report);
                HookSummary.Write(report, spec.Name, stderr);
            }
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
}
