using System.Text;
using System.Text.Json;

namespace HomeLab.Workspace;

/// <summary>
/// PULUMI_CONFIG, the stack's config as pulumi-yaml passes it to the compiler: json.Marshal(config)
/// (pkg/server/server.go, Run) of a map from qualified key (<c>homelab:localToken</c>) to value, which is "null" for a
/// stack with no config yet. Only its keys are read, never a value.
/// </summary>
internal static class PulumiConfigJson
{
    /// <summary>
    /// The top-level keys, as given (qualified). Null, empty, blank or "null" is a config with no keys; text that is
    /// not JSON, or JSON that is not an object, is refused with a plain message. Read with a forward-only reader: a JsonDocument cost each compiler
    /// hook run about 25 ms, the reader about 3 (README, Benchmarks).
    /// </summary>
    public static HashSet<string> Keys(string? json)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return keys;
        }

        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            reader.Read();
            if (reader.TokenType is JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType is JsonTokenType.PropertyName)
                {
                    keys.Add(reader.GetString()!);
                    reader.Read();
                    reader.Skip();
                }
            }
            else if (reader.TokenType is not JsonTokenType.Null)
            {
                throw new UsageException($"PULUMI_CONFIG is not a JSON object of config keys (it starts with {reader.TokenType}) — it is set by Pulumi; unset it when running homelab yourself");
            }

            // Reading past the one value refuses anything after it, as parsing the whole document would.
            reader.Read();
            return keys;
        }
        catch (JsonException e)
        {
            throw new UsageException($"PULUMI_CONFIG is not JSON ({e.Message}) — it is set by Pulumi; unset it when running homelab yourself");
        }
    }
}
