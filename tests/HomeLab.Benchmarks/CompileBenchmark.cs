using System.Diagnostics;
using System.Globalization;
using System.Text;

using HomeLab.Program;

namespace HomeLab.Benchmarks;

/// <summary>
/// Compiles synthetic stacks of 10, 100 and 1,000 hosts (one in ten a Kubernetes cluster with two instances, the
/// rest remote Docker hosts with one published instance; 10 models per instance; one proxy routing the Docker
/// instances) in-process: load + validate + compile + emit. Prints, per stack size, the bytes the compiling thread
/// allocates per host (<see cref="GC.GetAllocatedBytesForCurrentThread"/>: the same to 0.1 % on every run, where
/// CPU time moves with whatever else the machine runs, so growth is judged on it) beside the median wall and CPU time of many runs after warm-up (<see cref="ThreadClock"/>), with
/// their spread (half the interquartile range, relative to the median).
/// </summary>
internal static class CompileBenchmark
{
    private const int ModelsPerInstance = 10;

    /// <summary>One host in this many is a Kubernetes cluster.</summary>
    private const int ClusterEvery = 10;

    public static void Run()
    {
        Console.WriteLine("compile: synthetic stacks (1 in 10 hosts a Kubernetes cluster), in-process load + validate + compile + emit");
        Console.WriteLine("  (allocations: bytes the compiling thread allocates, the same to 0.1 % on every run; times: median of runs after warm-up, ± half the interquartile range)");
        Console.WriteLine($"{"hosts",6} {"resources",10} {"yaml KiB",9} {"program KiB",12} {"KiB/host",9} {"runs",5} {"wall ms",8} {"cpu ms",8} {"±cpu",6} {"cpu ms/host",12}");
        // Warm the whole pipeline first, so tiered JIT has settled before the smallest stack is measured.
        var warmUp = SyntheticStack(100);
        for (var i = 0; i < 30; i++)
        {
            CompileOnce(warmUp);
        }

        Thread.Sleep(500);
        var allocated = new List<double>();
        var cpus = new List<double>();
        var walls = new List<double>();
        foreach (var hosts in new[] { 10, 100, 1000 })
        {
            var yaml = SyntheticStack(hosts);
            var program = Compiler.Compile(Targets.Load("bench", yaml, "stacks/bench.yaml"));
            var text = ProgramEmitter.Emit(program);
            var runs = hosts switch { <= 10 => 101, <= 100 => 41, _ => 21 };
            for (var i = 0; i < 3; i++)
            {
                CompileOnce(yaml);
            }

            var samples = Enumerable.Range(0, runs).Select(_ => CompileOnce(yaml)).ToList();
            var bytes = Median(samples.Select(t => (double)t.Bytes));
            var wall = Median(samples.Select(t => t.Wall));
            var cpu = Median(samples.Select(t => t.Cpu));
            var spread = Spread(samples.Select(t => t.Cpu));
            allocated.Add(bytes);
            cpus.Add(cpu);
            walls.Add(wall);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{hosts,6} {program.Resources.Count,10} {yaml.Length / 1024.0,9:F1} {text.Length / 1024.0,12:F1} {bytes / 1024.0 / hosts,9:F1} {runs,5} {wall,8:F1} {cpu,8:F1} {spread,5:P0} {cpu / hosts,12:F3}"));
        }

        var growth = allocated[2] / allocated[1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"growth (allocated bytes): 10 → 100 hosts ×{allocated[1] / allocated[0]:F1}, 100 → 1,000 hosts ×{growth:F1} (×10 = linear; target ≤ ×11: {(growth <= 11 ? "met" : "MISSED")})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"growth (cpu, for reference): 10 → 100 hosts ×{cpus[1] / cpus[0]:F1}, 100 → 1,000 hosts ×{cpus[2] / cpus[1]:F1}; target: 100 hosts ≤ 1000 ms wall: {(walls[1] <= 1000 ? "met" : "MISSED")}"));
    }

    private static double Median(IEnumerable<double> values) => Quantile(values.Order().ToList(), 0.5);

    /// <summary>Half the interquartile range relative to the median: how far a typical run lies from it.</summary>
    private static double Spread(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return (Quantile(sorted, 0.75) - Quantile(sorted, 0.25)) / 2 / Quantile(sorted, 0.5);
    }

    private static double Quantile(List<double> sorted, double q) => sorted[(int)Math.Round((sorted.Count - 1) * q)];

    private static (double Wall, double Cpu, long Bytes) CompileOnce(string yaml)
    {
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var cpu = ThreadClock.NowMilliseconds();
        var clock = Stopwatch.StartNew();
        var text = ProgramEmitter.Emit(Compiler.Compile(Targets.Load("bench", yaml, "stacks/bench.yaml")));
        clock.Stop();
        var cpuTime = ThreadClock.NowMilliseconds() - cpu;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
        GC.KeepAlive(text);
        return (clock.Elapsed.TotalMilliseconds, cpuTime, allocated);
    }

    private static bool IsCluster(int host) => host % ClusterEvery == ClusterEvery - 1;

    /// <summary>
    /// N hosts: every tenth a Kubernetes cluster running two GPU instances (a StatefulSet each), the others remote
    /// Docker GPU hosts with one published instance each; 10 models per instance (two of them custom); one proxy on
    /// host 0 routing every Docker instance (a cluster's instances are reachable only through a proxy on that
    /// cluster, so the hooks are off: they would have no way in).
    /// </summary>
    public static string SyntheticStack(int hosts)
    {
        var yaml = new StringBuilder("hosts:\n");
        for (var h = 0; h < hosts; h++)
        {
            if (IsCluster(h))
            {
                yaml.Append(CultureInfo.InvariantCulture, $"  host-{h}:\n    kind: kubernetes\n    address: 10.0.{h / 250}.{h % 250}\n    namespace: lab-{h}\n    storageClass: local-path\n    runtimeClass: nvidia\n");
            }
            else
            {
                yaml.Append(CultureInfo.InvariantCulture, $"  host-{h}:\n    kind: docker\n    engine: ssh://ops@host-{h}.lan\n    address: host-{h}.lan\n");
            }
        }

        yaml.Append("instances:\n");
        for (var h = 0; h < hosts; h++)
        {
            if (IsCluster(h))
            {
                for (var i = 0; i < 2; i++)
                {
                    yaml.Append(CultureInfo.InvariantCulture, $"""
                          ollama-{h}-{i}:
                            host: host-{h}
                            gpu: {"{"} vendor: nvidia, count: 1 {"}"}
                            nodeSelector: {"{"} homelab.dev/gpu: nvidia {"}"}
                            resources: {"{"} memory: 16GiB, cpus: 6 {"}"}
                            storage: {"{"} size: 200GiB {"}"}
                            tuning: {"{"} keepAlive: 10m, numParallel: 2, flashAttention: true {"}"}
                            models:

                        """);
                    Models(yaml, h);
                }

                continue;
            }

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
            Models(yaml, h);
        }

        yaml.Append("proxy:\n  host: host-0\n  domain: ollama.home.arpa\n  tls: internal\n  auth: { bearerTokens: [benchToken] }\n  routes:\n    - to: [");
        yaml.Append(string.Join(", ", Enumerable.Range(0, hosts).Where(h => !IsCluster(h)).Select(h => $"ollama-{h}")));
        yaml.Append("]\nhooks: { enabled: false }\n");
        return yaml.ToString();
    }

    private static void Models(StringBuilder yaml, int host)
    {
        for (var m = 0; m < ModelsPerInstance - 2; m++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"      - model-{m}:{host}b\n");
        }

        yaml.Append("      - name: helper\n        from: model-0:1b\n        system: You help.\n        parameters: { temperature: 0.3 }\n");
        yaml.Append("      - name: embedder:v1\n        type: embedding\n        warm: true\n");
    }
}
