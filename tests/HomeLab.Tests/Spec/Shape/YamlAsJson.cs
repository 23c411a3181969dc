using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using HomeLab.Spec;
using HomeLab.Spec.Yaml;

namespace HomeLab.Tests.Spec.Shape;

/// <summary>
/// A stack file as the YAML language server sees it: YAML 1.2 core schema, so plain 4 is a number, true a boolean,
/// and 'off' or 8GiB strings. Quoted scalars are always strings.
/// </summary>
internal static partial class YamlAsJson
{
    public static JsonNode? Read(string yaml)
    {
        var diagnostics = new List<Diagnostic>();
        var root = YamlTree.Parse(yaml, "stack.yaml", diagnostics);
        diagnostics.Should().BeEmpty();
        return Convert(root);
    }

    private static JsonNode? Convert(YamlValue? node) => node switch
    {
        null => null,
        YamlMap map => new JsonObject(map.Entries.Select(e => new KeyValuePair<string, JsonNode?>(e.Key.Text, Convert(e.Value)))),
        YamlList list => new JsonArray(list.Items.Select(Convert).ToArray()),
        YamlText { Quoted: true } text => JsonValue.Create(text.Text),
        YamlText text => Scalar(text.Text),
        _ => throw new InvalidOperationException(node.GetType().Name),
    };

    private static JsonNode? Scalar(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(text.Equals("true", StringComparison.OrdinalIgnoreCase));
        }

        if (CoreNumber().IsMatch(text))
        {
            return JsonNode.Parse(JsonSerializer.Serialize(double.Parse(text, CultureInfo.InvariantCulture)));
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?([0-9]+|[0-9]*\.[0-9]+)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex CoreNumber();
}
