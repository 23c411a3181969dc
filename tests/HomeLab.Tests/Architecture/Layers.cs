namespace HomeLab.Tests.Architecture;

/// <summary>
/// The house plan's floors, bottom first (README, "The house"): a namespace may use its own floor and the floors
/// below it, never one above. Names are relative to a root namespace (HomeLab for the product); "" is the root itself
/// (Compiler, Targets: the composition); a name covers its sub-namespaces unless a longer name claims them.
/// </summary>
public sealed class Layers
{
    /// <summary>The floors of the house, bottom first, relative to its root namespace.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> House { get; } =
        [
            ["Conventions"],
            ["Spec"],
            ["Workspace"],
            ["Program", "Tools", "Ollama"],
            ["Hooks"],
            ["Modules"],
            [""],
            ["Review", "Deploy", "Status"],
            ["Cli"],
        ];

    /// <summary>The product's floors.</summary>
    public static Layers Product { get; } = new("HomeLab", House);

    private readonly string root;
    private readonly IReadOnlyList<IReadOnlyList<string>> floors;

    public Layers(string root, IReadOnlyList<IReadOnlyList<string>> floors)
    {
        this.root = root;
        this.floors = floors;
    }

    /// <summary>The floor a namespace lives on, or null when it is outside the root (framework, packages) or on no floor.</summary>
    public Floor? FloorOf(string ns)
    {
        string relative;
        if (ns == root)
        {
            relative = "";
        }
        else if (ns.StartsWith(root + ".", StringComparison.Ordinal))
        {
            relative = ns[(root.Length + 1)..];
        }
        else
        {
            return null;
        }

        Floor? best = null;
        for (var level = 0; level < floors.Count; level++)
        {
            foreach (var name in floors[level])
            {
                var covers = name.Length == 0
                    ? relative.Length == 0
                    : relative == name || relative.StartsWith(name + ".", StringComparison.Ordinal);
                if (covers && (best is null || name.Length > best.Name.Length))
                {
                    best = new Floor(level, name.Length == 0 ? root : $"{root}.{name}");
                }
            }
        }

        return best;
    }

    /// <summary>
    /// Every dependency that points up a floor, or from a namespace of the root that is on no floor: one line per
    /// user namespace and thing used, at its first place (a file:line where the source is known).
    /// </summary>
    public IReadOnlyList<string> Violations(IEnumerable<Dependency> dependencies) =>
        dependencies
            .GroupBy(d => (d.FromNamespace, d.Target))
            .Select(g => g.OrderBy(d => d.Where.Contains(".cs:", StringComparison.Ordinal) ? 0 : 1).ThenBy(d => d.Where, StringComparer.Ordinal).First())
            .Select(Judge)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    private string? Judge(Dependency dependency)
    {
        var from = FloorOf(dependency.FromNamespace);
        var to = FloorOf(dependency.ToNamespace);
        if (from is null && dependency.FromNamespace.StartsWith(root, StringComparison.Ordinal))
        {
            return $"{dependency.Where}: namespace {dependency.FromNamespace} is on no floor of the house plan; add it to {nameof(Layers)}";
        }

        if (from is null || to is null || to.Level <= from.Level)
        {
            return null;
        }

        return $"{dependency.Where}: {dependency.FromNamespace} (floor {from.Level}, {from.Name}) uses {dependency.Target} of {dependency.ToNamespace} (floor {to.Level}, {to.Name}), a floor above it";
    }
}
