using System.Diagnostics;
using System.Globalization;

using HomeLab.Conventions;
using HomeLab.Tests.Support;

namespace HomeLab.Benchmarks;

/// <summary>
/// The compiler hook as Pulumi runs it (Pulumi.yaml's command line, from the project root, with PULUMI_STACK and
/// PULUMI_CONFIG set, the build up to date) against a bare start of the same build (<c>dotnet homelab.dll
/// --version</c>), alternating in one run so both see the same machine load. Median wall time of each.
/// </summary>
internal static class HookStartupBenchmark
{
    private const int Rounds = 15;
    private const double Target = 3.0;

    public static void Run()
    {
        Console.WriteLine($"hook start-up: compiler hook as Pulumi runs it vs bare 'dotnet homelab.dll --version' (median of {Rounds} alternating runs)");
        var environment = new Dictionary<string, string?>
        {
            ["PULUMI_STACK"] = "local",
            ["PULUMI_PROJECT"] = "homelab",
            ["PULUMI_CONFIG"] = """{"homelab:localToken":"[secret]"}""",
            ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
        };
        string[] hook = ["sh", .. Launcher.CommandLine("compile").Split(' ')[1..]];
        string[] bare = ["dotnet", Path.Combine(Repo.Root, "bin", "launch", "homelab.dll"), "--version"];

        // The first call builds when sources changed; that is not start-up.
        var first = Time(hook, environment);
        if (first.ExitCode != 0)
        {
            Console.WriteLine($"  the hook failed (exit {first.ExitCode}); no figures");
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
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  compiler hook (sh {Launcher.Script} compile)  {hookMedian,6:F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  bare dotnet homelab.dll --version            {bareMedian,6:F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio                                         {ratio,6:F1}×  target ≤ {Target:F0}×: {(ratio <= Target ? "met" : "MISSED")}"));
    }

    private static (int ExitCode, double Milliseconds) Time(string[] argv, Dictionary<string, string?> environment)
    {
        var clock = Stopwatch.StartNew();
        var result = ProcessRunner.Run(argv[0], argv[1..], Repo.Root, environment, TimeSpan.FromMinutes(10));
        return (result.ExitCode, clock.Elapsed.TotalMilliseconds);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
