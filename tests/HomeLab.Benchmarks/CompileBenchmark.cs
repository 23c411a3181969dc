using System.Diagnostics;
using System.Globalization;
using System.Text;

using HomeLab.Program;
using HomeLab.Spec;

namespace HomeLab.Benchmarks;

/// <summary>
/// Compiles synthetic stacks of 10, 100 and 1,000 remote Docker hosts (one instance with 10 models each, all behind
/// one proxy) in-process: load + validate + compile + emit. Prints the median of several runs after warm-up, in wall
/// time and in the thread's CPU time (<see cref="ThreadClock"/>); growth is judged on CPU time, which time slices
/// given to other processes on a shared machine do not inflate.
/// </summary>
internal static class CompileBenchmark
{
    private const int ModelsPerInstance = 10;

    public static void Run()
    {
        Console.WriteLine("compile: synthetic stacks, in-process load + validate + compile + emit (median of runs after warm-up)");
        Console.WriteLine($"{"hosts",6} {"resources",10} {"yaml KiB",9} {"program KiB",12} {"wall ms",8} {"cpu ms",8} {"cpu ms/host",12}");
        // Warm the whole pipeline first, so tiered JIT has settled before the smallest stack is measured.
        var warmUp = SyntheticStack(100);
        for (var i = 0; i < 20; i++)
        {
            CompileOnce(warmUp);
        }

        Thread.Sleep(500);
        var medians = new List<double>();
        var walls = new List<double>();
        foreach (var hosts in new[] { 10, 100, 1000 })
        {
            var yaml = SyntheticStack(hosts);
            var program = ProgramEmitter.Emit(Compiler.Compile(Targets.Load("bench", yaml, "stacks/bench.yaml")));
            var resources = Compiler.Compile(Targets.Load("bench", yaml, "stacks/bench.yaml")).Resources.Count;
            var runs = hosts >= 1000 ? 9 : 15;
            for (var i = 0; i < 3; i++)
            {
                CompileOnce(yaml);
            }

            var times = Enumerable.Range(0, runs).Select(_ => CompileOnce(yaml)).ToList();
            var wall = Median(times.Select(t => t.Wall));
            var cpu = Median(times.Select(t => t.Cpu));
            medians.Add(cpu);
            walls.Add(wall);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{hosts,6} {resources,10} {yaml.Length / 1024.0,9:F1} {program.Length / 1024.0,12:F1} {wall,8:F1} {cpu,8:F1} {cpu / hosts,12:F3}"));
        }

        var growth = medians[2] / medians[1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"growth (cpu): 10 → 100 hosts ×{medians[1] / medians[0]:F1}, 100 → 1,000 hosts ×{growth:F1} (×10 = linear; target ≤ ×11: {(growth <= 11 ? "met" : "MISSED")}); " +
            $"target: 100 hosts ≤ 1000 ms wall: {(walls[1] <= 1000 ? "met" : "MISSED")}"));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static (double Wall, double Cpu) CompileOnce(string yaml)
    {
        var cpu = ThreadClock.NowMilliseconds();
        var clock = Stopwatch.StartNew();
        var text = ProgramEmitter.Emit(Compiler.Compile(Targets.Load("bench", yaml, "stacks/bench.yaml")));
        clock.Stop();
        var cpuTime = ThreadClock.NowMilliseconds() - cpu;
        GC.KeepAlive(text);
        return (clock.Elapsed.TotalMilliseconds, cpuTime);
    }

    /// <summary>N remote GPU hosts, one published instance each with 10 models (two of them custom), one proxy on host 0.</summary>
    public static string SyntheticStack(int hosts)
    {
        var yaml = new StringBuilder("hosts:\n");
        for (var h = 0; h < hosts; h++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  host-{h}:\n    kind: docker\n    engine: ssh://ops@host-{h}.lan\n    address: host-{h}.lan\n");
        }

        yaml.Append("instances:\n");
        for (var h = 0; h < hosts; h++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                  ollama-{h}:
                    host: host-{h}
                    image: ollama/ollama:0.12.6
                    gpu: {(h % 2 == 0 ? "{ vendor: nvidia, count: 1 }" : "none")}
                    resources: {"{"} memory: 16GiB, cpus: 6, shm: 1GiB {"}"}
                    storage: {"{"} path: /srv/ollama/{h} {"}"}
                    tuning: {"{"} keepAlive: 10m, numParallel: 2, contextLength: 8192, flashAttention: true {"}"}
                    publish: {"{"} port: 11434, bind: 0.0.0.0 {"}"}
                    models:

                """);
            for (var m = 0; m < ModelsPerInstance - 2; m++)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"      - model-{m}:{h}b\n");
            }

            yaml.Append("      - name: helper\n        from: model-0:1b\n        system: You help.\n        parameters: { temperature: 0.3 }\n");
            yaml.Append("      - name: embedder:v1\n        type: embedding\n        warm: true\n");
        }

        yaml.Append("proxy:\n  host: host-0\n  domain: ollama.home.arpa\n  tls: internal\n  auth: { bearerTokens: [benchToken] }\n  routes:\n    - to: [");
        yaml.Append(string.Join(", ", Enumerable.Range(0, hosts).Select(h => $"ollama-{h}")));
        yaml.Append("]\n");
        return yaml.ToString();
    }
}
