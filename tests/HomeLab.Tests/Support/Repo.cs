using HomeLab.Contracts;

namespace HomeLab.Tests.Support;

/// <summary>Paths of the repository under test, and of the upstream reference data when it is at hand.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Stacks => Path.Combine(Root, "stacks");

    private static Lazy<string?> Reference { get; } = new(() => ReferenceLocation.Find(Root));

    /// <summary>
    /// The reference data (provider schemas, Ollama's OpenAPI file, real nixpkgs): HOMELAB_REFERENCE, else
    /// ../shared/reference beside the repository; null when absent. Resolved on first use, so tests that do not
    /// need it never look.
    /// </summary>
    public static string? ReferenceDirectory => Reference.Value;

    /// <summary>Why a test needing the reference data is skipped here, or null when it must run (present, or CI=true).</summary>
    public static string? ReferenceSkipReason() =>
        ExternalTool.DeclaredUnavailable("reference") ?? (ReferenceDirectory is null && !ExternalTool.InCi
            ? $"no reference data at {ReferenceLocation.Expected(Root)} (set {ReferenceLocation.Variable} or place shared/reference beside the repository); skipped because CI is not 'true'"
            : null);

    /// <summary>A file of the reference data; a clear failure when the data is absent (only reached in CI, where skipping is not allowed).</summary>
    public static string ReferenceFile(string name) =>
        Path.Combine(
            ReferenceDirectory ?? throw new InvalidOperationException($"no reference data at {ReferenceLocation.Expected(Root)}, and CI=true does not allow skipping the tests that need it; set {ReferenceLocation.Variable} or place shared/reference beside the repository"),
            name);

    public static IReadOnlyList<string> ExampleStacks() =>
        Directory.EnumerateFiles(Stacks, "*.yaml")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(n => !n.StartsWith("Pulumi.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The folder holding HomeLab.csproj above the test binaries (bin/ lives inside the repository).</summary>
    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HomeLab.csproj")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (HomeLab.csproj) above the test binaries");
    }
}
