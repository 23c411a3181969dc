using System.CommandLine;

using HomeLab.Deploy;
using HomeLab.Hooks;
using HomeLab.Ollama;
using HomeLab.Spec;
using HomeLab.Status;
using HomeLab.Tools;
using HomeLab.Workspace;

namespace HomeLab.Cli;

internal enum StatusFormat
{
    Table,
    Json,
    Prometheus,
}

/// <summary>What an operator asked of <c>homelab status</c>; <see cref="Watch"/> is the refresh interval, null for one look.</summary>
internal sealed record StatusRequest(string Stack, string? Instance, string? Url, string? CaCertificate, StatusFormat Format, TimeSpan? Watch);

/// <summary>
/// <c>homelab status STACK</c>: a live look at a deployed lab through the hooks' route and credential (proxy URL with
/// the instance-pinning header, or the published port; the credential from the variable Pulumi sets for the hooks; the
/// proxy's CA). The report goes to stdout (table, JSON or Prometheus text), one line per problem to stderr. Exit 0
/// healthy, 1 degraded (an instance unreachable, a model missing or drifted, the proxy letting anonymous requests in),
/// 2 bad input. With --watch it refreshes until Ctrl-C and exits with the last round's code.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var stack = new Argument<string>("STACK") { Description = "Deployed stack to look at" };
        var instance = new Option<string?>("--instance") { Description = "Only this instance (default: every instance in the stack)" };
        var json = new Option<bool>("--json") { Description = "Write JSON (same as --format json)" };
        var format = new Option<string?>("--format") { Description = "table (default), json, or prometheus (text exposition format for node_exporter's textfile collector)" };
        format.AcceptOnlyFromAmong("table", "json", "prometheus");
        var watch = new Option<bool>("--watch") { Description = "Refresh until Ctrl-C" };
        var interval = new Option<int>("--interval") { Description = "Seconds between refreshes with --watch", DefaultValueFactory = _ => 10 };
        var url = new Option<string?>("--url") { Description = "Base URL to reach the instance at instead of the one the stack implies (with --instance)" };
        var caCertificate = new Option<string?>("--ca-cert") { Description = $"PEM root certificate to trust, e.g. Caddy's internal CA (default: ${HooksCommand.CaCertificateVariable})" };
        var command = new Command("status", "Show whether a deployed lab is healthy and as its stack declares: instances, models, loaded models, proxy refusal. Exit 0 healthy, 1 degraded, 2 bad input.")
        {
            stack, instance, json, format, watch, interval, url, caCertificate,
        };
        command.SetAction((result, cancel) => Cli.GuardAsync(() =>
        {
            var chosen = result.GetValue(format);
            if (result.GetValue(json) && chosen is not null and not "json")
            {
                throw new UsageException($"--json and --format {chosen} ask for different outputs; give one");
            }

            if (result.GetValue(interval) < 1)
            {
                throw new UsageException("--interval is in whole seconds and at least 1");
            }

            var request = new StatusRequest(
                result.GetValue(stack)!,
                result.GetValue(instance),
                result.GetValue(url),
                result.GetValue(caCertificate),
                result.GetValue(json) ? StatusFormat.Json : Enum.Parse<StatusFormat>(chosen ?? "table", ignoreCase: true),
                result.GetValue(watch) ? TimeSpan.FromSeconds(result.GetValue(interval)) : null);
            var workspace = ProjectDirectory.Find();
            var secrets = new PulumiSecretReader(SystemToolRunner.Instance, PulumiCommands.CurrentEnvironment(), workspace, request.Stack);
            return RunAsync(request, workspace, secrets.Variable, Console.Out, Console.Error, !Console.IsOutputRedirected,
                HookOptions.Defaults with { RequestTimeout = TimeSpan.FromSeconds(10), Attempts = 3 }, SystemToolRunner.Instance, connect: null, TimeProvider.System, rounds: null, cancel);
        }));
        return command;
    }

    /// <param name="terminal">Whether stdout is a terminal: colour, and with --watch the screen is redrawn.</param>
    /// <param name="connect">Dials instead of resolving the URL's host (see <see cref="OllamaHttp.CreateHandler"/>); null in the real command.</param>
    /// <param name="rounds">With --watch, stop after this many looks (tests); null until cancelled.</param>
    public static async Task<int> RunAsync(StatusRequest request, ProjectDirectory workspace, Func<string, string?> environment, TextWriter stdout, TextWriter stderr, bool terminal, HookOptions options, IToolRunner tools, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect, TimeProvider clock, int? rounds, CancellationToken cancel)
    {
        var spec = workspace.Load(request.Stack);
        var instances = HooksCommand.Instances(spec, request.Instance, request.Url);
        var url = request.Url is null ? null : HooksCommand.ParseUrl(request.Url);
        using var caCertificate = HooksCommand.TrustedRoot(spec, request.CaCertificate, workspace, environment, tools, stderr);
        using var handler = OllamaHttp.CreateHandler(caCertificate, connect);
        var connections = new List<OllamaConnection>();
        try
        {
            var probes = instances.Select(instance =>
            {
                var plan = HookPlan.For(spec, instance);
                plan = plan with { BaseUrl = url ?? plan.BaseUrl };
                var credential = plan.Credential is { } variable ? HooksCommand.ReadCredential(spec, variable, environment) : null;
                var connection = new OllamaConnection(handler, plan.Endpoint(credential), options.RequestTimeout);
                connections.Add(connection);
                return (Host: instance.Host, Probe: new StatusProbe(connection, plan, options, credential));
            }).ToList();
            return await WatchAsync(request, spec, probes, stdout, stderr, terminal, clock, rounds, cancel).ConfigureAwait(false);
        }
        finally
        {
            connections.ForEach(c => c.Dispose());
        }
    }

    private static async Task<int> WatchAsync(StatusRequest request, StackSpec spec, IReadOnlyList<(string Host, StatusProbe Probe)> probes, TextWriter stdout, TextWriter stderr, bool terminal, TimeProvider clock, int? rounds, CancellationToken cancel)
    {
        var console = Terminal.For(stdout, !terminal);
        for (var round = 1; ; round++)
        {
            var status = await TakeAsync(spec, probes, clock, cancel).ConfigureAwait(false);
            if (request.Watch is not null && terminal)
            {
                console.Clear(home: true);
            }

            switch (request.Format)
            {
                case StatusFormat.Json:
                    await stdout.WriteAsync(StatusJson.Render(status)).ConfigureAwait(false);
                    break;
                case StatusFormat.Prometheus:
                    await stdout.WriteAsync(PrometheusText.Render(status)).ConfigureAwait(false);
                    break;
                default:
                    console.Write(StatusTable.Render(status));
                    break;
            }

            await stdout.FlushAsync(cancel).ConfigureAwait(false);
            foreach (var line in ProblemLines(status))
            {
                await stderr.WriteLineAsync(line).ConfigureAwait(false);
            }

            var code = status.Healthy ? ExitCodes.Ok : ExitCodes.Failed;
            if (request.Watch is not { } interval || round == rounds)
            {
                return code;
            }

            try
            {
                await Task.Delay(interval, clock, cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return code;
            }

            if (!terminal)
            {
                await stdout.WriteLineAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<LabStatus> TakeAsync(StackSpec spec, IReadOnlyList<(string Host, StatusProbe Probe)> probes, TimeProvider clock, CancellationToken cancel)
    {
        var checkedAt = clock.GetUtcNow();
        var instances = await Task.WhenAll(probes.Select(p => p.Probe.InstanceAsync(p.Host, cancel))).ConfigureAwait(false);

        // Through an authenticating proxy, one anonymous request shows whether the proxy still keeps strangers out.
        var proxied = probes.Select(p => p.Probe).FirstOrDefault(p => p.Plan is { Via: HookPath.Proxy, ProxyRequiresAuth: true });
        var proxy = proxied is null ? null : await proxied.ProxyAsync(cancel).ConfigureAwait(false);
        return new LabStatus(spec.Name, checkedAt, instances, proxy);
    }

    private static IEnumerable<string> ProblemLines(LabStatus status) =>
        status.Instances.SelectMany(i => i.Problems.Select(p => $"homelab status: {status.Stack}/{i.Instance}: {p}"))
            .Concat(status.Proxy?.Problem is { } problem ? [$"homelab status: {status.Stack} proxy: {problem}"] : []);
}
