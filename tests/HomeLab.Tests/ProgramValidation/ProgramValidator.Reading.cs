using HomeLab.Spec;

using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.ProgramValidation;

/// <summary>Reading the YAML the way Pulumi does (string keys, plain literals), describing nodes and recording errors.</summary>
internal sealed partial class ProgramValidator
{
    private IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode map, Site at)
    {
        foreach (var (key, value) in map.Children)
        {
            if (key is YamlScalarNode { Value: { } text } scalar && PulumiYaml.Scalar(scalar).Kind is ScalarKind.String)
            {
                yield return (text, value);
            }
            else
            {
                Error(at, key, $"mapping keys must be strings, not {Describe(key)}");
            }
        }
    }

    private List<(string Key, YamlNode Value)> Section(YamlMappingNode root, string name, Site top)
    {
        switch (Child(root, name))
        {
            case null:
                return [];
            case YamlMappingNode map:
                return [.. Entries(map, top.Key(name))];
            case var other:
                Error(top.Key(name), other, $"must be a mapping, not {Describe(other)}");
                return [];
        }
    }

    private static YamlNode? Child(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The text of a plain string (no <c>${...}</c>), with <c>$$</c> read as <c>$</c>; null for anything else.</summary>
    private static string? Literal(YamlNode? node) =>
        node is YamlScalarNode scalar && PulumiYaml.Scalar(scalar) is { Kind: ScalarKind.String } value
            && PulumiYaml.Interpolate(value.Text, out _) is { References.Count: 0 } interpolation
            ? interpolation.Literal
            : null;

    private static bool IsInteger(YamlNode node) => node is YamlScalarNode scalar && PulumiYaml.Scalar(scalar).Number is var n && double.IsFinite(n) && Math.Floor(n) == n;

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode scalar => PulumiYaml.Scalar(scalar) switch
        {
            { Kind: ScalarKind.Null } => "null",
            { Kind: ScalarKind.Bool } v => $"{v.Text} (a boolean)",
            { Kind: ScalarKind.Number } v => $"{v.Text} (a number)",
            var v => $"\"{(v.Text.Length > 60 ? v.Text[..57] + "..." : v.Text)}\" (a string)",
        },
        YamlSequenceNode => "a list",
        _ when Function(node) is ({ } name, _) => $"a {name} call",
        _ => "a mapping",
    };

    private static string DidYouMean(string typed, IEnumerable<string> candidates) =>
        Suggest.Nearest(typed, candidates) is { } near ? $"; did you mean '{near}'?" : "";

    private void Expect(bool ok, YamlNode node, Site at, string expected)
    {
        if (!ok)
        {
            Error(at, node, $"expected {expected}, got {Describe(node)}");
        }
    }

    private void Unknown(Site at, YamlNode node, string key, string what, string[] known) =>
        Error(at.Key(key), node, $"'{key}' is not a known {what}{DidYouMean(key, known)}");

    private void Error(Site at, YamlNode node, string problem) => errors.Add(new ProgramError(at.Subject, at.Path, problem, node.Start.Line));

    /// <summary>Where in the program a check is: the declaration (subject), the resource or variable that owns it, and the path inside.</summary>
    private sealed record Site(string Subject, string? Owner, string Path)
    {
        public Site Key(string key) => this with { Path = Path.Length == 0 ? key : $"{Path}.{key}" };

        public Site Item(int index) => this with { Path = $"{Path}[{index}]" };
    }
}
