namespace HomeLab.Tests.Support;

/// <summary>Paths of the repository under test and of the shared reference contracts beside it.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Stacks => Path.Combine(Root, "stacks");

    /// <summary>../shared/reference next to the repository (CI clones main with shared/ beside it).</summary>
    public static string Reference { get; } = FindReference();

    public static string ReferenceFile(string name) => Path.Combine(Reference, name);

    public static IReadOnlyList<string> ExampleStacks() =>
        Directory.EnumerateFiles(Stacks, "*.yaml")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(n => !n.StartsWith("Pulumi.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

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

    private static string FindReference()
    {
        for (var dir = new DirectoryInfo(Root); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("cannot find shared/reference beside the repository; CI clones main with shared/ next to it");
    }
}
