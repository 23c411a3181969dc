using HomeLab.Cli;
using HomeLab.Cli.Views;
using HomeLab.Hooks;
using HomeLab.Ollama;
using HomeLab.Spec;
using HomeLab.Tests.Support;
using HomeLab.Workspace;

namespace HomeLab.Tests.Hooks;

internal sealed record HookRun(InstanceReport Report, string Log, long ReadyTimestamp);

/// <summary>Runs the hooks in-process against a stand-in, with retries and timeouts shortened for tests.</summary>
internal static class HookHarness
{
    public const string Secret = "s3cr3t-T0ken-9f8e7d";

    public static readonly HookOptions Fast = new(
        Attempts: 3,
        RetryDelay: TimeSpan.FromMilliseconds(10),
        MaxRetryDelay: TimeSpan.FromMilliseconds(50),
        RequestTimeout: TimeSpan.FromSeconds(5),
        LoadTimeout: TimeSpan.FromSeconds(5),
        ReadyProbeTimeout: TimeSpan.FromSeconds(1),
        ReadyPollMax: TimeSpan.FromMilliseconds(100));

    public const string DefaultModels = """
              - name: llama3.2
                warm: true
              - nomic-embed-text
              - name: reviewer
                from: qwen2.5-coder:7b
                system: You review pull requests.
                parameters:
                  temperature: 0.2
                  num_ctx: 8192
        """;

    /// <summary>A stack with one instance reached directly (no proxy), published on <paramref name="port"/>.</summary>
    public static string DirectStack(string models = DefaultModels, string hooks = "readyTimeout: 10s, pullConcurrency: 2, stallTimeout: 1s", bool removeUndeclared = false, int port = 11434, bool gpu = false) => $"""
        hosts:
          lab: {"{"} kind: docker, engine: local, address: 127.0.0.1 {"}"}
        instances:
          ollama:
            host: lab
            image: ollama/ollama:0.32.15
            publish: {"{"} port: {port} {"}"}
        {(gpu ? "    gpu: { vendor: nvidia, count: 1 }\n" : "")}    removeUndeclared: {(removeUndeclared ? "true" : "false")}
            tuning: {"{"} keepAlive: 10m {"}"}
            models:
        {models}
        hooks: {"{"} via: direct, {hooks} {"}"}
        """;

    /// <summary>
    /// A stack whose hooks go through a proxy that wants the bearer token in secret config 'labToken'; <paramref name="auth"/>
    /// adds lines under 'proxy: auth:', <paramref name="sections"/> top-level sections (each text starts with a line break).
    /// </summary>
    public static string ProxiedStack(string models = "      - llama3.2:1b", string auth = "", string sections = "") => $$"""
        hosts:
          lab: { kind: docker, engine: local, address: 127.0.0.1 }
        instances:
          ollama:
            host: lab
            image: ollama/ollama:0.32.15
            models:
        {{models}}
        proxy:
          host: lab
          domain: localhost
          tls: off
          ports: { http: 8080 }
          bind: 127.0.0.1
          auth:
            bearerTokens: [labToken]{{auth}}
          routes:
            - to: [ollama]
        hooks: { readyTimeout: 5s, stallTimeout: 1s }{{sections}}
        """;

    public static StackSpec Parse(string yaml) => Stacks.Parse(yaml, "lab");

    public static async Task<HookRun> RunAsync(string yaml, Uri url, IEnumerable<HookStep>? steps = null, HookOptions? options = null, string? credential = Secret)
    {
        var spec = Parse(yaml);
        var plan = HookPlan.For(spec, spec.Instances[0]) with { BaseUrl = url };
        var presented = plan.Credential is { } variable && credential is not null ? HookCredential.From(spec.Proxy!.Auth, variable, credential) : null;
        var log = new StringWriter();
        var console = HookConsoles.Create(log, terminal: false, text => presented?.Redact(text) ?? text, TimeSpan.FromMilliseconds(50));
        using var handler = OllamaHttp.CreateHandler();
        using var connection = new OllamaConnection(handler, plan.Endpoint(presented), (options ?? Fast).RequestTimeout);
        var runner = new HookRunner(connection, plan, options ?? Fast, console, presented);
        var report = await runner.RunAsync((steps ?? HookPlan.AllSteps).Append(HookStep.Wait).ToHashSet(), CancellationToken.None);
        return new HookRun(report, log.ToString(), runner.ReadyTimestamp);
    }

    /// <summary>Runs the 'hooks' command body against a throw-away workspace holding <paramref name="yaml"/> as stacks/lab.yaml.</summary>
    /// <param name="connect">Dials instead of resolving the URL's host (a test's Caddy); null to resolve it.</param>
    public static async Task<ProcessResult> CliAsync(string yaml, Uri? url, IReadOnlyDictionary<string, string>? environment = null, string? only = null, string? reportFile = null, string? instance = "ollama", Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect = null)
    {
        var root = Directory.CreateTempSubdirectory("homelab-hooks-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "stacks"));
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "Pulumi.yaml"), "name: homelab\n");
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "stacks", "lab.yaml"), yaml);
            var steps = only is null ? HookPlan.AllSteps.ToHashSet() : new HashSet<HookStep> { HookStep.Wait, Enum.Parse<HookStep>(only, ignoreCase: true) };
            var request = new HooksRequest("lab", instance, steps, reportFile, url?.ToString(), null);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code;
            try
            {
                code = await HooksCommand.RunAsync(request, new ProjectDirectory(root.FullName), name => environment?.GetValueOrDefault(name), stdout, stderr, terminal: false, Fast, new FakeTools(), connect, CancellationToken.None);
            }
            catch (UsageException e)
            {
                // As Cli.GuardAsync reports it for the real command.
                await stderr.WriteLineAsync($"homelab: {e.Message}");
                code = ExitCodes.BadInput;
            }
            catch (HomeLab.Spec.StackFileException e)
            {
                await stderr.WriteLineAsync(string.Join("\n", e.Diagnostics));
                code = ExitCodes.BadInput;
            }

            return new ProcessResult(code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
