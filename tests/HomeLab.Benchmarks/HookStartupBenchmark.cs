using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

using HomeLab.Conventions;
using HomeLab.Tests.Support;
using HomeLab.Workspace;

namespace HomeLab.Benchmarks;

/// <summary>
/// The compiler hook as Pulumi runs it (Pulumi.yaml's command line, from the project root, with PULUMI_STACK and
/// PULUMI_CONFIG set, the build up to date) against a bare start of the same build (<c>dotnet homelab.dll
/// --version</c>), alternating in one run so both see the same machine load. Median wall time of each, for each
/// example stack: a Docker stack with a proxy, one with GPUs, and a NixOS host.
/// </summary>
internal static class HookStartupBenchmark
{
    private const int Rounds = 15;
    private const double Target = 3.0;
    private static readonly string[] ExampleStacks = ["local", "gpu-box", "grey-area"];

    public static void Run()
    {
        Console.WriteLine($"hook start-up: compiler hook as Pulumi runs it vs bare 'dotnet homelab.dll --version' (median of {Rounds} alternating runs)");
        foreach (var stack in ExampleStacks)
        {
            RunFor(stack);
        }
    }

    private static void RunFor(string stack)
    {
        var workspace = new ProjectDirectory(Repo.Root);
        var config = workspace.Load(stack).SecretKeys().ToDictionary(key => $"homelab:{key}", _ => "[secret]");
        var environment = new Dictionary<string, string?>
        {
            ["PULUMI_STACK"] = stack,
            ["PULUMI_PROJECT"] = "homelab",
            ["PULUMI_CONFIG"] = JsonSerializer.Serialize(config),
            ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
        };
        string[] hook = ["sh", .. Launcher.CommandLine("compile").Split(' ')[1..]];
        string[] bare = ["dotnet", Path.Combine(Repo.Root, "bin", "launch", "homelab.dll"), "--version"];

        // The first call builds when sources changed; that is not start-up.
        var first = Time(hook, environment);
        if (first.ExitCode != 0)
        {
            Console.WriteLine($"  {stack}: the hook failed (exit {first.ExitCode}); no figures");
            return;
        }

        var hookTimes = new List<double>();
        var bareTimes = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            hookTimes.Add(Time(hook, environment).Milliseconds);
            bareTimes.Add(Time(bare, environment).Milliseconds);
        }

        var hookMedian = Median(hookTimes);
        var bareMedian = Median(bareTimes);
        var ratio = hookMedian / bareMedian;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {stack,-10} hook {hookMedian,4:F0} ms  bare {bareMedian,4:F0} ms  ratio {ratio,4:F1}×  target ≤ {Target:F0}×: {(ratio <= Target ? "met" : "MISSED")}"));
    }

    private static (int ExitCode, double Milliseconds) Time(string[] argv, Dictionary<string, string?> environment)
    {
        var clock = Stopwatch.StartNew();
        var result = ProcessRunner.Run(argv[0], argv[1..], Repo.Root, environment, TimeSpan.FromMinutes(10));
        return (result.ExitCode, clock.Elapsed.TotalMilliseconds);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
