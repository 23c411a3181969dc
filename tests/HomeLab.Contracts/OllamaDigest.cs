using System.Text.Json.Nodes;

using YamlDotNet.RepresentationModel;

namespace HomeLab.Contracts;

/// <summary>
/// The facts of Ollama's OpenAPI file (docs/openapi.yaml in ollama/ollama) that the stand-in is checked against:
/// every path and method, its request body (required or not, schema per content type), its responses (schema per
/// status and content type), and the named schemas they refer to. Summaries, descriptions, examples and code
/// samples are left out; <c>$ref</c>s point into the digest's own <c>schemas</c>.
/// </summary>
public static class OllamaDigest
{
    private const string UpstreamSchemas = "#/components/schemas/";
    public const string DigestSchemas = "#/schemas/";

    public static string Generate(string openApiYaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(openApiYaml))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var digest = new JsonObject
        {
            ["paths"] = DigestJson.Sorted(Map(root, "paths").Select(p => Entry(p.Key, Path((YamlMappingNode)p.Value)))),
            ["schemas"] = DigestJson.Sorted(Map(Child(root, "components"), "schemas").Select(s => Entry(s.Key, Spec(s.Value)))),
        };
        return DigestJson.Write(digest);
    }

    private static JsonObject Path(YamlMappingNode path) =>
        DigestJson.Sorted(path.Children.Select(m => Entry(Text(m.Key)!, Operation((YamlMappingNode)m.Value))));

    private static JsonObject Operation(YamlMappingNode operation)
    {
        var digest = new JsonObject();
        if (Child(operation, "requestBody") is YamlMappingNode body)
        {
            digest["requestBody"] = new JsonObject
            {
                ["required"] = Text(Child(body, "required")) == "true",
                ["content"] = Content(body),
            };
        }

        digest["responses"] = DigestJson.Sorted(Map(operation, "responses").Select(r => Entry(r.Key, new JsonObject { ["content"] = Content(r.Value) })));
        return digest;
    }

    private static JsonObject Content(YamlNode owner) =>
        DigestJson.Sorted(Map(owner, "content").Select(c => Entry(c.Key, Spec(Child(c.Value, "schema")))));

    /// <summary>A schema reduced to the keywords a value is checked by, plus its format.</summary>
    private static JsonObject Spec(YamlNode? schema)
    {
        var digest = new JsonObject();
        if (Text(Child(schema, "$ref")) is { } reference)
        {
            digest["$ref"] = reference.StartsWith(UpstreamSchemas, StringComparison.Ordinal) ? DigestSchemas + reference[UpstreamSchemas.Length..] : reference;
        }

        switch (Child(schema, "type"))
        {
            case YamlScalarNode type:
                digest["type"] = type.Value;
                break;
            case YamlSequenceNode types:
                digest["type"] = new JsonArray(types.Children.Select(t => (JsonNode?)JsonValue.Create(Text(t))).ToArray());
                break;
        }

        if (Text(Child(schema, "format")) is { } format)
        {
            digest["format"] = format;
        }

        if (Child(schema, "items") is { } items)
        {
            digest["items"] = Spec(items);
        }

        switch (Child(schema, "additionalProperties"))
        {
            case YamlScalarNode flag:
                digest["additionalProperties"] = flag.Value == "true";
                break;
            case YamlMappingNode map:
                digest["additionalProperties"] = Spec(map);
                break;
        }

        if (Child(schema, "oneOf") is YamlSequenceNode choices)
        {
            digest["oneOf"] = new JsonArray(choices.Children.Select(c => (JsonNode)Spec(c)).ToArray());
        }

        if (Child(schema, "enum") is YamlSequenceNode values)
        {
            digest["enum"] = new JsonArray(values.Children.Select(v => (JsonNode?)JsonValue.Create(Text(v))).ToArray());
        }

        if (Child(schema, "properties") is YamlMappingNode)
        {
            digest["properties"] = DigestJson.Sorted(Map(schema, "properties").Select(p => Entry(p.Key, Spec(p.Value))));
        }

        if (Child(schema, "required") is YamlSequenceNode required)
        {
            digest["required"] = new JsonArray(required.Children.Select(Text).Order(StringComparer.Ordinal).Select(r => (JsonNode?)JsonValue.Create(r)).ToArray());
        }

        return digest;
    }

    private static IEnumerable<(string Key, YamlNode Value)> Map(YamlNode? owner, string key) =>
        Child(owner, key) is YamlMappingNode map ? map.Children.Select(c => (Text(c.Key)!, c.Value)) : [];

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Text(YamlNode? node) => (node as YamlScalarNode)?.Value;

    private static KeyValuePair<string, JsonNode?> Entry(string key, JsonNode value) => new(key, value);
}
