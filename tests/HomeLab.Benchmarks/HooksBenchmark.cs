using System.Diagnostics;
using System.Globalization;

using HomeLab.Cli.Views;
using HomeLab.Hooks;
using HomeLab.Ollama;
using HomeLab.Spec;
using HomeLab.Tests.Hooks.StandIn;
using HomeLab.Tests.Support;

namespace HomeLab.Benchmarks;

/// <summary>
/// Figures for the post-deploy hooks against the Ollama stand-in: a verify-only run over 20 present models on an
/// instance with a GPU (so each chat model's GPU use is read from /api/ps as well), four
/// throttled pulls in parallel against one at a time, and how soon the hooks notice that Ollama has started answering.
/// </summary>
internal static class HooksBenchmark
{
    private const int Rounds = 5;

    private static readonly HookOptions Options = HookOptions.Defaults with { RetryDelay = TimeSpan.FromMilliseconds(50) };

    public static async Task RunAsync()
    {
        Console.WriteLine("hooks benchmark (Ollama stand-in on 127.0.0.1; median of 5 rounds after a warm-up)");
        await WarmUpAsync();

        var verify = await MedianAsync(VerifyTwentyAsync);
        Report("verify-only, 20 models, GPU checked", $"{Ms(verify)}", verify <= TimeSpan.FromMilliseconds(500), "≤ 500 ms");

        var oneAtATime = await MedianAsync(() => FourPullsAsync(concurrency: 1));
        var parallel = await MedianAsync(() => FourPullsAsync(concurrency: 4));
        var speedup = oneAtATime / parallel;
        Report("4 throttled pulls, one at a time", Ms(oneAtATime), null, "");
        Report("4 throttled pulls, 4 at once", Ms(parallel), null, "");
        Report("parallel speed-up", $"{speedup.ToString("0.0", CultureInfo.InvariantCulture)}×", speedup >= 3, "≥ 3×");

        var latencies = new List<TimeSpan>();
        for (var round = 0; round < Rounds; round++)
        {
            latencies.Add(await ReadinessLatencyAsync());
        }

        latencies.Sort();
        Report("readiness detection latency (median)", Ms(latencies[Rounds / 2]), latencies[Rounds / 2] <= TimeSpan.FromMilliseconds(250), "≤ 250 ms");
        Report("readiness detection latency (worst)", Ms(latencies[^1]), latencies[^1] <= TimeSpan.FromMilliseconds(250), "≤ 250 ms");
    }

    private static async Task<TimeSpan> VerifyTwentyAsync()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.GpuMemory = 64L << 30;
        var names = Enumerable.Range(1, 20).Select(i => i % 4 == 0 ? $"embed-{i}:v1" : $"chat-{i}:1b").ToList();
        foreach (var name in names)
        {
            ollama.Install(name, name.StartsWith("embed", StringComparison.Ordinal) ? "embedding" : "chat");
        }

        var models = string.Join("\n", names.Select(n => $"      - {{ name: {n}, type: {(n.StartsWith("embed", StringComparison.Ordinal) ? "embedding" : "chat")} }}"));
        var clock = Stopwatch.StartNew();
        var report = await RunHooksAsync(Stack(models, concurrency: 2, gpu: "nvidia"), ollama.Url, [HookStep.Wait, HookStep.Verify]);
        var elapsed = clock.Elapsed;
        Require(report.Ok && report.Checks.Count(c => c.Check == GpuCheck.Name) == 15, "the verify-only run failed", report);
        return elapsed;
    }

    private static async Task<TimeSpan> FourPullsAsync(int concurrency)
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Faults.SplitLines = false;
        ollama.Faults.ChunkBytes = 1 << 20;
        ollama.Faults.ChunkDelay = TimeSpan.FromMilliseconds(10);
        var names = Enumerable.Range(1, 4).Select(i => $"model-{i}:7b").ToList();
        foreach (var name in names)
        {
            ollama.Publish(name, 40L << 20);
        }

        var clock = Stopwatch.StartNew();
        var report = await RunHooksAsync(Stack(string.Join("\n", names.Select(n => $"      - {n}")), concurrency), ollama.Url, [HookStep.Wait, HookStep.Pull]);
        var elapsed = clock.Elapsed;
        Require(report.Ok && ollama.MaxConcurrentPulls == concurrency, $"pulls with concurrency {concurrency} did not run as configured", report);
        return elapsed;
    }

    /// <summary>Time from the stand-in listening on a port the hooks have been polling to the hooks seeing Ollama's version.</summary>
    private static async Task<TimeSpan> ReadinessLatencyAsync()
    {
        var port = FreePort.OnLoopback();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var spec = Stack("      - llama3.2:1b", concurrency: 1);
        var plan = HookPlan.For(spec, spec.Instances[0]) with { BaseUrl = url };
        using var handler = OllamaHttp.CreateHandler();
        using var connection = new OllamaConnection(handler, plan.Endpoint(null), Options.RequestTimeout);
        var runner = new HookRunner(connection, plan, Options, HookConsoles.Create(TextWriter.Null, terminal: false, text => text));
        var waiting = runner.RunAsync(new HashSet<HookStep> { HookStep.Wait }, CancellationToken.None);
        await Task.Delay(1500);
        await using var ollama = await OllamaStandIn.StartAsync(port);
        var listening = Stopwatch.GetTimestamp();
        var report = await waiting;
        Require(report.Ok, "the hooks did not see the stand-in start", report);
        return Stopwatch.GetElapsedTime(listening, runner.ReadyTimestamp);
    }

    /// <summary>JIT and first-connection costs belong to neither figure: run each path once unmeasured.</summary>
    private static async Task WarmUpAsync()
    {
        await VerifyTwentyAsync();
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Publish("warm-up:1b", 4 << 20);
        await RunHooksAsync(Stack("      - warm-up:1b", 1), ollama.Url, HookPlan.AllSteps);
    }

    private static async Task<InstanceReport> RunHooksAsync(StackSpec spec, Uri url, IEnumerable<HookStep> steps)
    {
        var plan = HookPlan.For(spec, spec.Instances[0]) with { BaseUrl = url };
        using var handler = OllamaHttp.CreateHandler();
        using var connection = new OllamaConnection(handler, plan.Endpoint(null), Options.RequestTimeout);
        var runner = new HookRunner(connection, plan, Options, HookConsoles.Create(TextWriter.Null, terminal: false, text => text));
        return await runner.RunAsync(steps.ToHashSet(), CancellationToken.None);
    }

    private static StackSpec Stack(string models, int concurrency, string gpu = "none") => Targets.Load("bench", $$"""
        hosts:
          lab: { kind: docker, engine: local, address: 127.0.0.1 }
        instances:
          ollama:
            host: lab
            gpu: {{gpu}}
            publish: { port: 11434 }
            models:
        {{models}}
        hooks: { via: direct, readyTimeout: 30s, pullConcurrency: {{concurrency}} }
        """, "stacks/bench.yaml");

    private static async Task<TimeSpan> MedianAsync(Func<Task<TimeSpan>> measure)
    {
        var samples = new List<TimeSpan>();
        for (var round = 0; round < Rounds; round++)
        {
            samples.Add(await measure());
        }

        samples.Sort();
        return samples[Rounds / 2];
    }

    private static void Require(bool condition, string what, InstanceReport report)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{what}: {string.Join("; ", report.Failures)}");
        }
    }

    private static void Report(string figure, string value, bool? met, string target) =>
        Console.WriteLine($"  {figure,-40} {value,10}  {(met is null ? "" : $"target {target}: {(met.Value ? "met" : "MISSED")}")}");

    private static string Ms(TimeSpan span) => $"{span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";
}
