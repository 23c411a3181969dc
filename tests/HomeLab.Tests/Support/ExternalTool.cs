using Xunit.Abstractions;
using Xunit.Sdk;

namespace HomeLab.Tests.Support;

/// <summary>
/// A program a test runs. When it is missing the test returns early and says why, except under CI=true, where
/// the test fails: CI installs every tool (.ci/run), so a missing one there is a broken pipeline, not a skip.
/// </summary>
internal static class ExternalTool
{
    public static bool InCi => Environment.GetEnvironmentVariable("CI") == "true";

    /// <summary>The tool's full path, or null (after printing the reason) when it is absent outside CI.</summary>
    public static string? Find(string name, string debianPackage, ITestOutputHelper output)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }

        var reason = $"{name} is not on PATH (Debian package {debianPackage})";
        if (InCi)
        {
            throw new XunitException($"{reason}, and with CI=true this test must run: install it (see .ci/run)");
        }

        output.WriteLine($"SKIPPED: {reason}; this test runs when it is installed, and fails without it under CI=true");
        Console.Error.WriteLine($"[skip] {reason}");
        return null;
    }
}
