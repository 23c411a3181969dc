using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.ReadBack;

/// <summary>One resource of a compiled program as Pulumi YAML reads it: scalars as text, lists, and maps by key.</summary>
internal sealed record EmittedResource(string Name, string Type, IReadOnlyDictionary<string, object> Properties);

/// <summary>Reads the resources out of a compiled program's text, the form the providers are given.</summary>
internal static class EmittedProgram
{
    public static IReadOnlyList<EmittedResource> Resources(string program)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(program));
        var resources = (YamlMappingNode)((YamlMappingNode)stream.Documents.Single().RootNode)["resources"];
        return resources.Children.Select(r =>
        {
            var body = (YamlMappingNode)r.Value;
            var properties = body.Children.TryGetValue(new YamlScalarNode("properties"), out var p) ? (SortedDictionary<string, object>)Convert(p) : new SortedDictionary<string, object>(StringComparer.Ordinal);
            return new EmittedResource(r.Key.ToString(), body["type"].ToString(), properties);
        }).ToList();
    }

    private static object Convert(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value ?? "",
        YamlSequenceNode list => list.Children.Select(Convert).ToList(),
        YamlMappingNode map => new SortedDictionary<string, object>(map.Children.ToDictionary(e => e.Key.ToString(), e => Convert(e.Value)), StringComparer.Ordinal),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.GetType().Name}"),
    };
}
