using System.Text.Json;
using System.Text.Json.Nodes;

namespace HomeLab.Contracts;

/// <summary>
/// The facts of a Pulumi package schema (as <c>pulumi package get-schema</c> prints it) that the tests check programs
/// against: resource tokens, input and output properties with their types, required inputs, named types and the
/// provider's config. Descriptions, examples and language settings are left out.
/// The schema's layout is pulumi/pulumi pkg/codegen/schema/schema.go (PackageSpec, ResourceSpec, PropertySpec, TypeSpec).
/// </summary>
public static class ProviderDigest
{
    public static string Generate(string schemaJson)
    {
        using var document = JsonDocument.Parse(schemaJson);
        var schema = document.RootElement;
        var digest = new JsonObject
        {
            ["package"] = schema.GetProperty("name").GetString(),
            ["config"] = Properties(schema.TryGetProperty("config", out var config) ? config : default, "variables"),
            ["provider"] = schema.TryGetProperty("provider", out var provider) ? Resource(provider) : new JsonObject(),
            ["resources"] = DigestJson.Sorted(Entries(schema, "resources").Select(r => Entry(r.Name, Resource(r.Value)))),
            ["types"] = DigestJson.Sorted(Entries(schema, "types").Select(t => Entry(t.Name, Spec(t.Value)))),
        };
        return DigestJson.Write(digest);
    }

    private static JsonObject Resource(JsonElement resource)
    {
        var digest = new JsonObject { ["inputs"] = Properties(resource, "inputProperties") };
        if (Strings(resource, "requiredInputs") is { Count: > 0 } required)
        {
            digest["required"] = required;
        }

        digest["outputs"] = Properties(resource, "properties");
        return digest;
    }

    /// <summary>A type spec reduced to the keywords a value is checked by.</summary>
    private static JsonObject Spec(JsonElement spec)
    {
        var digest = new JsonObject();
        if (spec.TryGetProperty("$ref", out var reference))
        {
            digest["$ref"] = reference.GetString();
        }

        if (spec.TryGetProperty("type", out var type))
        {
            digest["type"] = type.GetString();
        }

        if (spec.TryGetProperty("items", out var items))
        {
            digest["items"] = Spec(items);
        }

        if (spec.TryGetProperty("additionalProperties", out var map) && map.ValueKind is JsonValueKind.Object)
        {
            digest["additionalProperties"] = Spec(map);
        }

        if (spec.TryGetProperty("oneOf", out var choices))
        {
            digest["oneOf"] = new JsonArray(choices.EnumerateArray().Select(c => (JsonNode)Spec(c)).ToArray());
        }

        if (spec.TryGetProperty("enum", out var values))
        {
            digest["enum"] = new JsonArray(values.EnumerateArray().Select(v => JsonNode.Parse(v.GetProperty("value").GetRawText())).ToArray());
        }

        if (spec.TryGetProperty("properties", out _))
        {
            digest["properties"] = Properties(spec, "properties");
        }

        if (Strings(spec, "required") is { Count: > 0 } required)
        {
            digest["required"] = required;
        }

        if (IsTrue(spec, "secret"))
        {
            digest["secret"] = true;
        }

        if (IsTrue(spec, "willReplaceOnChanges") || IsTrue(spec, "replaceOnChanges"))
        {
            digest["replaceOnChanges"] = true;
        }

        return digest;
    }

    private static JsonObject Properties(JsonElement owner, string key) =>
        DigestJson.Sorted(Entries(owner, key).Select(p => Entry(p.Name, Spec(p.Value))));

    private static List<JsonProperty> Entries(JsonElement owner, string key) =>
        owner.ValueKind is JsonValueKind.Object && owner.TryGetProperty(key, out var map) ? map.EnumerateObject().ToList() : [];

    private static JsonArray? Strings(JsonElement owner, string key) =>
        owner.TryGetProperty(key, out var list)
            ? new JsonArray(list.EnumerateArray().Select(s => s.GetString()!).Order(StringComparer.Ordinal).Select(s => (JsonNode)JsonValue.Create(s)).ToArray())
            : null;

    private static bool IsTrue(JsonElement spec, string key) => spec.TryGetProperty(key, out var flag) && flag.ValueKind is JsonValueKind.True;

    private static KeyValuePair<string, JsonNode?> Entry(string key, JsonNode value) => new(key, value);
}
