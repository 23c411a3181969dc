using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HomeLab.Contracts;

/// <summary>
/// Writes a digest as stable, reviewable JSON: keys in ordinal order, one line per named entry (resource, type,
/// property), each type spec on one line, so a provider bump shows up as a readable diff.
/// </summary>
public static class DigestJson
{
    private const int ExpandedDepth = 4;

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A copy of <paramref name="entries"/> with keys in ordinal order (the upstream order is not a fact).</summary>
    public static JsonObject Sorted(IEnumerable<KeyValuePair<string, JsonNode?>> entries) =>
        new(entries.OrderBy(e => e.Key, StringComparer.Ordinal));

    public static string Write(JsonObject digest)
    {
        var text = new StringBuilder();
        Write(text, digest, 0);
        return text.Append('\n').ToString();
    }

    private static void Write(StringBuilder text, JsonNode? node, int depth)
    {
        if (node is not JsonObject obj || obj.Count == 0 || depth >= ExpandedDepth || IsTypeSpec(obj))
        {
            text.Append(node?.ToJsonString(Compact) ?? "null");
            return;
        }

        var indent = new string(' ', 2 * (depth + 1));
        text.Append("{\n");
        var first = true;
        foreach (var (key, value) in obj)
        {
            text.Append(first ? "" : ",\n").Append(indent).Append(JsonValue.Create(key).ToJsonString(Compact)).Append(": ");
            Write(text, value, depth + 1);
            first = false;
        }

        text.Append('\n').Append(' ', 2 * depth).Append('}');
    }

    /// <summary>A type spec without fields of its own fits on one line; an object type with fields lists one per line.</summary>
    private static bool IsTypeSpec(JsonObject obj) =>
        (obj.ContainsKey("type") || obj.ContainsKey("$ref") || obj.ContainsKey("oneOf")) && !obj.ContainsKey("properties");
}
