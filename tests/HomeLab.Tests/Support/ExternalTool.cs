using HomeLab.Tools;

using Xunit.Abstractions;

namespace HomeLab.Tests.Support;

/// <summary>
/// Tests that need a program on PATH. Without it they are skipped with a printed reason on a developer's machine,
/// but fail when CI=true: CI must have every tool the tests use.
/// </summary>
internal static class ExternalTool
{
    public static bool Available(ITestOutputHelper output, params string[] programs)
    {
        var missing = programs.Where(p => SystemToolRunner.Instance.Find(p) is null).ToList();
        if (missing.Count == 0)
        {
            return true;
        }

        var reason = $"needs {string.Join(", ", missing)} on PATH";
        Environment.GetEnvironmentVariable("CI").Should().NotBe("true", $"this test {reason}, and CI must provide it");
        output.WriteLine($"SKIPPED: {reason}");
        return false;
    }
}
