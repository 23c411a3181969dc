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
        var caCertificate = new Option<string?>("--ca-cert") { Description = $"PEM root certificate to trust, e.g. Caddy's internal CA (default: ${InstanceAccess.CaCertificateVariable})" };
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
            var context = new StatusContext(workspace, secrets.Variable, Console.Out, Console.Error, !Console.IsOutputRedirected,
                HookOptions.Defaults with { RequestTimeout = TimeSpan.FromSeconds(10), Attempts = 3 }, SystemToolRunner.Instance, Connect: null, TimeProvider.System, Rounds: null);
            return RunAsync(request, context, cancel);
        }));
        return command;
    }

    public static async Task<int> RunAsync(StatusRequest request, StatusContext context, CancellationToken cancel)
    {
        var spec = context.Workspace.Load(request.Stack, Targets.Rules);
        var instances = InstanceAccess.Instances(spec, request.Instance, request.Url);
        var url = request.Url is null ? null : InstanceAccess.ParseUrl(request.Url);
        using var caCertificate = InstanceAccess.TrustedRoot(spec, request.CaCertificate, context.Workspace.Root, context.Environment, context.Tools, context.Stderr);
        using var handler = OllamaHttp.CreateHandler(caCertificate, context.Connect);
        var connections = new List<OllamaConnection>();
        HookCredential? proxyCredential = null;
        try
        {
            var probes = instances.SelectMany(instance =>
            {
                var (plans, credential) = InstanceAccess.Plans(spec, instance, url, context.Environment);
                proxyCredential ??= credential;
                return plans.Select(plan =>
                {
                    var connection = new OllamaConnection(handler, plan.Endpoint(credential), context.Options.RequestTimeout);
                    connections.Add(connection);
                    return (Host: instance.Host, Probe: new StatusProbe(connection, plan, context.Options, credential));
                });
            }).ToList();
            using var webui = InstanceAccess.Webui(InstanceAccess.WebuiAt(spec, WebuiPlan.For(spec), url), handler, proxyCredential, signIn: false, context.Environment, context.Options.RequestTimeout, spec.Name);
            return await WatchAsync(request, spec, probes, webui, context, cancel).ConfigureAwait(false);
        }
        finally
        {
            connections.ForEach(c => c.Dispose());
        }
    }

    private static async Task<int> WatchAsync(StatusRequest request, StackSpec spec, IReadOnlyList<(string Host, StatusProbe Probe)> probes, WebuiConnection? webui, StatusContext context, CancellationToken cancel)
    {
        var (stdout, stderr, terminal, clock, rounds) = (context.Stdout, context.Stderr, context.Terminal, context.Clock, context.Rounds);
        var console = Terminal.For(stdout, !terminal);
        for (var round = 1; ; round++)
        {
            var status = await TakeAsync(spec, probes, webui, clock, cancel).ConfigureAwait(false);
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

    private static async Task<LabStatus> TakeAsync(StackSpec spec, IReadOnlyList<(string Host, StatusProbe Probe)> probes, WebuiConnection? webui, TimeProvider clock, CancellationToken cancel)
    {
        var checkedAt = clock.GetUtcNow();
        var instances = await Task.WhenAll(probes.Select(p => p.Probe.InstanceAsync(p.Host, cancel))).ConfigureAwait(false);

        // Through an authenticating proxy, one anonymous request shows whether the proxy still keeps strangers out.
        var proxied = probes.Select(p => p.Probe).FirstOrDefault(p => p.Plan is { Via: HookPath.Proxy, ProxyRequiresAuth: true });
        var proxy = proxied is null ? null : await proxied.ProxyAsync(cancel).ConfigureAwait(false);
        var front = webui is null || probes.Count == 0 ? null : await probes[0].Probe.WebuiAsync(webui, cancel).ConfigureAwait(false);
        return new LabStatus(spec.Name, checkedAt, instances, proxy) { Webui = front };
    }

    private static IEnumerable<string> ProblemLines(LabStatus status) =>
        status.Instances.SelectMany(i => i.Problems.Select(p => $"homelab status: {status.Stack}/{HookPlan.TargetOf(i.Instance, i.Replica)}: {p}"))
            .Concat(status.Proxy?.Problem is { } problem ? [$"homelab status: {status.Stack} proxy: {problem}"] : [])
            .Concat(status.Webui?.Problem is { } webuiProblem ? [$"homelab status: {status.Stack} front end: {webuiProblem}"] : []);
}
