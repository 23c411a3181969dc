namespace HomeLab.Tests.Support;

/// <summary>
/// Programs some tests run (caddy, nix-instantiate). Outside CI a missing one skips those tests with the reason
/// printed; with CI=true they run regardless and fail, so CI can never pass by skipping.
/// </summary>
public static class ExternalTool
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public const string UnavailableVariable = "HOMELAB_UNAVAILABLE";

    /// <summary>
    /// Why a test needing <paramref name="what"/> skips because the CI job declares it absent on purpose, else null.
    /// HOMELAB_UNAVAILABLE lists such things ('reference', 'docker'), e.g. in a pull request's job that has only the
    /// checkout; those tests skip saying so, and with CI=true every other test stays strict.
    /// </summary>
    public static string? DeclaredUnavailable(string what) => DeclaredUnavailable(what, Environment.GetEnvironmentVariable(UnavailableVariable));

    public static string? DeclaredUnavailable(string what, string? declared) =>
        (declared ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Contains(what, StringComparer.Ordinal)
            ? $"{UnavailableVariable} says this job has no {what} (the project's own CI, .ci/run, runs this test with it)"
            : null;

    /// <summary>The full path of <paramref name="name"/> on PATH, or null; the same lookup homelab itself uses.</summary>
    public static string? Find(string name) => HomeLab.Tools.SystemToolRunner.Instance.Find(name);

    /// <summary>Why a test needing <paramref name="names"/> is skipped here, or null when it must run.</summary>
    public static string? SkipReason(params string[] names) =>
        names.Where(n => Find(n) is null).ToList() is { Count: > 0 } missing && !InCi
            ? $"{string.Join(", ", missing.Select(n => $"'{n}'"))} not on PATH (CI installs it: see .ci/run); skipped because CI is not 'true'"
            : null;

    /// <summary>The tool's path; a clear failure when it is missing (only reached in CI, where skipping is not allowed).</summary>
    public static string Require(string name) =>
        Find(name) ?? throw new InvalidOperationException($"'{name}' is not on PATH, and CI=true does not allow skipping the tests that need it; install it (see .ci/run)");
}
