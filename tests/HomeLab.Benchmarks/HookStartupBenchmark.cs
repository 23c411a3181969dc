using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

using HomeLab.Conventions;
using HomeLab.Tests.Support;
using HomeLab.Workspace;

namespace HomeLab.Benchmarks;

/// <summary>
/// The compiler hook as Pulumi runs it (Pulumi.yaml's command line, from the project root, with PULUMI_STACK and
/// PULUMI_CONFIG set, the build up to date) in both builds the launcher makes, the native binary and the ReadyToRun
/// one, against a bare start of the managed build (<c>dotnet homelab.dll --version</c>): the three alternating in
/// one run so all see the same machine load. Median wall time of each and their ratios, for each example stack (a
/// Docker stack with a proxy, one with GPUs, and a NixOS host); then the peak memory of one run of each.
/// </summary>
internal static class HookStartupBenchmark
{
    private const int Rounds = 15;
    private const double Target = 0.5;
    private const string PeakMemoryTool = "/usr/bin/time";
    private static readonly string[] ExampleStacks = ["local", "gpu-box", "grey-area"];

    public static void Run()
    {
        Console.WriteLine($"hook start-up: compiler hook as Pulumi runs it, native and ReadyToRun, vs bare 'dotnet homelab.dll --version' (median of {Rounds} alternating runs)");
        if (ExternalTool.Find("clang") is null)
        {
            Console.WriteLine("  no clang on PATH, so no native build here (Debian: apt-get install clang); no figures");
            return;
        }

        foreach (var stack in ExampleStacks)
        {
            RunFor(stack);
        }
    }

    private static void RunFor(string stack)
    {
        var workspace = new ProjectDirectory(Repo.Root);
        var config = workspace.Load(stack, Targets.Rules).SecretKeys().ToDictionary(key => $"homelab:{key}", _ => "[secret]");
        var environment = new Dictionary<string, string?>
        {
            ["PULUMI_STACK"] = stack,
            ["PULUMI_PROJECT"] = "homelab",
            ["PULUMI_CONFIG"] = JsonSerializer.Serialize(config),
            ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
        };
        string[] hook = ["sh", .. Launcher.CommandLine("compile").Split(' ')[1..]];
        var runs = new (string Name, string[] Argv, Dictionary<string, string?> Environment)[]
        {
            ("native", hook, new(environment) { [Launcher.BuildVariable] = Launcher.NativeBuild }),
            ("readytorun", hook, new(environment) { [Launcher.BuildVariable] = Launcher.ReadyToRunBuild }),
            ("bare", ["dotnet", Path.Combine(Repo.Root, "bin", "launch", "homelab.dll"), "--version"], environment),
        };

        // The first call of each build builds it when sources changed; that is not start-up.
        foreach (var run in runs.Take(2))
        {
            var first = Time(run.Argv, run.Environment);
            if (first.ExitCode != 0)
            {
                Console.WriteLine($"  {stack}: the {run.Name} hook failed (exit {first.ExitCode}); no figures");
                return;
            }
        }

        var times = runs.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < Rounds; i++)
        {
            for (var r = 0; r < runs.Length; r++)
            {
                times[r].Add(Time(runs[r].Argv, runs[r].Environment).Milliseconds);
            }
        }

        var native = Median(times[0]);
        var readyToRun = Median(times[1]);
        var bare = Median(times[2]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {stack,-10} native {native,4:F0} ms  readytorun {readyToRun,4:F0} ms  bare {bare,4:F0} ms  native/bare {native / bare,4:F2}×  readytorun/bare {readyToRun / bare,4:F2}×  native/readytorun {native / readyToRun,4:F2}×  target native ≤ {Target:F1}× bare: {(native / bare <= Target ? "met" : "MISSED")}"));

        if (File.Exists(PeakMemoryTool))
        {
            var peaks = runs.Select(run => $"{run.Name} {PeakMebibytes(run.Argv, run.Environment)}");
            Console.WriteLine($"  {"",-10} peak memory (MiB, one run each): {string.Join("  ", peaks)}");
        }
    }

    private static (int ExitCode, double Milliseconds) Time(string[] argv, Dictionary<string, string?> environment)
    {
        var clock = Stopwatch.StartNew();
        var result = ProcessRunner.Run(argv[0], argv[1..], Repo.Root, environment, TimeSpan.FromMinutes(30));
        return (result.ExitCode, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>The maximum resident set size GNU time reports for one run (its %M, in KiB), in MiB.</summary>
    private static string PeakMebibytes(string[] argv, Dictionary<string, string?> environment)
    {
        var result = ProcessRunner.Run(PeakMemoryTool, ["-f", "%M", .. argv], Repo.Root, environment, TimeSpan.FromMinutes(2));
        var last = result.Stderr.TrimEnd().Split('\n')[^1];
        return result.ExitCode == 0 && long.TryParse(last, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kibibytes)
            ? (kibibytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture)
            : "?";
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
