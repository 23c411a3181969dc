using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.Workflows;

internal sealed record Step(string? Name, string? Uses, string? Run, string? If, IReadOnlyDictionary<string, string> Env);

internal sealed record Job(string Id, YamlMappingNode Node)
{
    public string? If => Workflow.Text(Node, "if");

    public IReadOnlyList<string> Needs => Node.Children.TryGetValue(new YamlScalarNode("needs"), out var needs)
        ? needs is YamlSequenceNode list ? list.Children.Select(n => ((YamlScalarNode)n).Value!).ToList() : [((YamlScalarNode)needs).Value!]
        : [];

    public string? Environment => Node.Children.TryGetValue(new YamlScalarNode("environment"), out var env)
        ? env is YamlMappingNode map ? Workflow.Text(map, "name") : ((YamlScalarNode)env).Value
        : null;

    public IReadOnlyDictionary<string, string> Env => Workflow.Map(Node, "env");

    public IReadOnlyDictionary<string, string> Outputs => Workflow.Map(Node, "outputs");

    public string? Matrix(string name) => Node.Children.TryGetValue(new YamlScalarNode("strategy"), out var strategy)
        && ((YamlMappingNode)strategy).Children.TryGetValue(new YamlScalarNode("matrix"), out var matrix)
            ? Workflow.Text((YamlMappingNode)matrix, name)
            : null;

    public IReadOnlyList<Step> Steps => ((YamlSequenceNode)Node["steps"]).Children.Cast<YamlMappingNode>()
        .Select(s => new Step(Workflow.Text(s, "name"), Workflow.Text(s, "uses"), Workflow.Text(s, "run"), Workflow.Text(s, "if"), Workflow.Map(s, "env")))
        .ToList();

    public string AllRuns => string.Join("\n", Steps.Select(s => s.Run).OfType<string>());
}

/// <summary>A GitHub or Forgejo Actions workflow file, read with YamlDotNet as the forge would read it.</summary>
internal sealed record Workflow(string Forge, string File, YamlMappingNode Root)
{
    public static readonly string[] Forges = ["github", "forgejo"];

    public IReadOnlyList<string> Triggers => Root["on"] switch
    {
        YamlMappingNode map => map.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList(),
        YamlSequenceNode list => list.Children.Select(k => ((YamlScalarNode)k).Value!).ToList(),
        var single => [((YamlScalarNode)single).Value!],
    };

    /// <summary>The branches filter of a trigger such as push or pull_request; empty when it has none.</summary>
    public IReadOnlyList<string> Branches(string trigger) =>
        Trigger(trigger) is YamlMappingNode filters && filters.Children.TryGetValue(new YamlScalarNode("branches"), out var branches)
            ? ((YamlSequenceNode)branches).Children.Select(b => ((YamlScalarNode)b).Value!).ToList()
            : [];

    public YamlNode? Trigger(string name) => Root["on"] is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(name), out var node) ? node : null;

    public IReadOnlyDictionary<string, Job> Jobs => ((YamlMappingNode)Root["jobs"]).Children
        .ToDictionary(j => ((YamlScalarNode)j.Key).Value!, j => new Job(((YamlScalarNode)j.Key).Value!, (YamlMappingNode)j.Value));

    public static IReadOnlyList<Workflow> All(string forge) =>
        Directory.EnumerateFiles(Path.Combine(Support.Repo.Root, $".{forge}", "workflows"))
            .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => Load(forge, f))
            .ToList();

    public static Workflow Load(string forge, string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(file);
        stream.Load(reader);
        return new Workflow(forge, Path.GetFileName(file), (YamlMappingNode)stream.Documents.Single().RootNode);
    }

    /// <summary>The one workflow of <paramref name="forge"/> that <paramref name="trigger"/> starts.</summary>
    public static Workflow On(string forge, string trigger) => All(forge).Should().ContainSingle(w => w.Triggers.Contains(trigger)).Which;

    public static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    public static IReadOnlyDictionary<string, string> Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value)
            ? ((YamlMappingNode)value).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!)
            : new Dictionary<string, string>();
}
