using System.Text.RegularExpressions;

namespace HomeLab.Tests.Architecture;

/// <summary>
/// The namespaces a source file names: its <c>using</c> directives (plain, static and aliased) and the fully
/// qualified names in its code. It sees what the compiled assembly cannot (a constant, inlined where it is used)
/// and misses what only the compiler resolves (a type of an enclosing namespace named without a using), which
/// <see cref="AssemblyDependencies"/> sees.
/// </summary>
public static partial class SourceDependencies
{
    /// <summary>The uses of the given namespaces in the C# files under the given folders.</summary>
    public static IReadOnlyList<Dependency> Read(string repository, IEnumerable<string> folders, IReadOnlySet<string> namespaces) =>
        folders
            .SelectMany(f => Directory.EnumerateFiles(Path.Combine(repository, f), "*.cs", SearchOption.AllDirectories))
            .SelectMany(file => ReadFile(Path.GetRelativePath(repository, file), File.ReadAllLines(file), namespaces))
            .ToList();

    /// <summary>The uses of the given namespaces in one file's lines.</summary>
    public static IEnumerable<Dependency> ReadFile(string file, IReadOnlyList<string> lines, IReadOnlySet<string> namespaces)
    {
        var ns = lines.Select(l => NamespaceLine().Match(l)).FirstOrDefault(m => m.Success)?.Groups["ns"].Value;
        if (ns is null)
        {
            yield break;
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            var names = UsingLine().Match(line) is { Success: true } u
                ? [u.Groups["name"].Value]
                : QualifiedName().Matches(line).Select(m => m.Groups["name"].Value);
            foreach (var name in names)
            {
                var target = NamespaceOf(name, namespaces);
                if (target is not null && target != ns)
                {
                    yield return new Dependency($"{file}:{i + 1}", ns, name, target);
                }
            }
        }
    }

    /// <summary>The longest known namespace that a qualified name (a namespace, or a type or member in one) starts with.</summary>
    private static string? NamespaceOf(string qualified, IReadOnlySet<string> namespaces) =>
        namespaces
            .Where(n => qualified == n || qualified.StartsWith(n + ".", StringComparison.Ordinal))
            .MaxBy(n => n.Length);

    [GeneratedRegex(@"^\s*namespace\s+(?<ns>[\w.]+)\s*[;{]?\s*$")]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^\s*(global\s+)?using\s+(static\s+)?(\w+\s*=\s*)?(?<name>[\w.]+)\s*;")]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"(?<![\w.""])(?<name>HomeLab(\.\w+)+)")]
    private static partial Regex QualifiedName();
}
