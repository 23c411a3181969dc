using HomeLab.Spec;

namespace HomeLab.Workspace;

/// <summary>The project directory: where Pulumi.yaml and stacks/ are. Found from PULUMI_ROOT_DIRECTORY or by walking up.</summary>
internal sealed class ProjectDirectory(string root)
{
    public string Root { get; } = root;

    public string StacksDir => Path.Combine(Root, "stacks");

    public static ProjectDirectory Find(string? start = null)
    {
        if (Environment.GetEnvironmentVariable("PULUMI_ROOT_DIRECTORY") is { Length: > 0 } pulumiRoot && File.Exists(Path.Combine(pulumiRoot, "Pulumi.yaml")))
        {
            return new ProjectDirectory(pulumiRoot);
        }

        for (var dir = new DirectoryInfo(start ?? Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")) && Directory.Exists(Path.Combine(dir.FullName, "stacks")))
            {
                return new ProjectDirectory(dir.FullName);
            }
        }

        throw new UsageException("no HomeLab project found here: no Pulumi.yaml with a stacks/ folder in this directory or above it — run homelab from the repository, or set PULUMI_ROOT_DIRECTORY");
    }

    /// <summary>Stack names: every stacks/NAME.yaml except Pulumi's own stacks/Pulumi.NAME.yaml settings files.</summary>
    public IReadOnlyList<string> StackNames() =>
        Directory.Exists(StacksDir)
            ? Directory.EnumerateFiles(StacksDir, "*.yaml")
                .Select(Path.GetFileNameWithoutExtension)
                .OfType<string>()
                .Where(n => !n.StartsWith("Pulumi.", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    public string StackPath(string stack) => Path.Combine(StacksDir, stack + ".yaml");

    /// <summary>Loads stacks/STACK.yaml with the target rules handed in by whoever composes the pipeline.</summary>
    public StackSpec Load(string stack, IReadOnlyList<IHostRules> targetRules)
    {
        if (!Names.Resource().IsMatch(stack))
        {
            if (AsStackName(stack) is { } named)
            {
                throw new UsageException($"'{stack}' is a file; commands take the stack's name — use '{named}' (stacks/{named}.yaml)");
            }

            throw new UsageException($"'{stack}' is not a stack name — stack names use lower-case letters, digits and '-'{DidYouMean(stack, StackNames())}");
        }

        var path = StackPath(stack);
        if (!File.Exists(path))
        {
            throw new UsageException(UnknownStack($"no stack file stacks/{stack}.yaml", stack, StackNames(), $"create stacks/{stack}.yaml to add one"));
        }

        return StackLoader.Load(stack, File.ReadAllText(path), $"stacks/{stack}.yaml", targetRules);
    }

    /// <summary>What the loaded stack leaves open (<see cref="ExposureWarnings"/>), positioned in its file.</summary>
    public IReadOnlyList<Diagnostic> Warnings(StackSpec spec) =>
        ExposureWarnings.For(spec, SettingPositions.Of(File.ReadAllText(StackPath(spec.Name)), spec.File));

    /// <summary>The message for a stack name that names no stack: the nearest known name when one is close, then all of them.</summary>
    public static string UnknownStack(string problem, string stack, IReadOnlyCollection<string> known, string? otherwise = null)
    {
        var names = known.Count > 0 ? string.Join(", ", known) : "none";
        return Suggest.Nearest(stack, known) is { } nearest
            ? $"{problem} — did you mean '{nearest}'? (known stacks: {names})"
            : $"{problem} — known stacks: {names}{(otherwise is null ? "" : "; " + otherwise)}";
    }

    /// <summary>The stack a path such as stacks/local.yaml or ./local.yml names, when it names one of this project's stacks.</summary>
    private string? AsStackName(string typed)
    {
        var name = Path.GetFileNameWithoutExtension(typed);
        return Path.GetExtension(typed) is ".yaml" or ".yml" && StackNames().Contains(name, StringComparer.Ordinal) ? name : null;
    }

    private static string DidYouMean(string typed, IReadOnlyList<string> known) =>
        Suggest.Nearest(typed, known) is { } nearest ? $" — did you mean '{nearest}'?" : "";
}
