using System.Text.Json.Nodes;

namespace HomeLab.Contracts;

/// <summary>
/// Ollama's API digest (see <see cref="OllamaDigest"/>), read: operations by method and path, their request and
/// response schemas, and the named schemas those refer to. Schemas keep JSON Schema's keywords ($ref, oneOf, type,
/// format, required, properties, items, enum, additionalProperties).
/// </summary>
public sealed class OllamaContract
{
    private static readonly Lazy<OllamaContract> Committed = new(() => Parse(ContractDigests.Ollama.Committed()));

    private readonly JsonObject root;

    private OllamaContract(JsonObject root) => this.root = root;

    public static OllamaContract Api => Committed.Value;

    /// <summary>Every (METHOD, path) the API declares, e.g. (POST, /api/pull).</summary>
    public IEnumerable<(string Method, string Path)> Endpoints =>
        root["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => (m.Key.ToUpperInvariant(), p.Key)));

    public static OllamaContract Parse(string digest) => new(JsonNode.Parse(digest)!.AsObject());

    /// <summary>The operation (<c>requestBody</c>, <c>responses</c>), or null when the API has no such endpoint.</summary>
    public JsonObject? Operation(string method, string path) =>
        root["paths"]?[path]?[method.ToLowerInvariant()] as JsonObject;

    /// <summary>The schema a <c>$ref</c> such as <c>#/schemas/ErrorResponse</c> names.</summary>
    public JsonObject Schema(string reference) =>
        reference.StartsWith(OllamaDigest.DigestSchemas, StringComparison.Ordinal) && root["schemas"]?[reference[OllamaDigest.DigestSchemas.Length..]] is JsonObject schema
            ? schema
            : throw new InvalidOperationException($"$ref '{reference}' resolves to nothing in the Ollama API digest");
}
