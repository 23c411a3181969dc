extern alias KubernetesFull;

using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

using HomeLab.Contracts;

using KubernetesJson = KubernetesFull::k8s.KubernetesJson;
using V1Pod = KubernetesFull::k8s.Models.V1Pod;

namespace HomeLab.Tests.Kubernetes;

/// <summary>
/// The Kubernetes API models of KubernetesClient 21.0.8 (generated from the Kubernetes OpenAPI document): the model
/// type of a Pulumi token (<c>kubernetes:apps/v1:StatefulSet</c> → <c>V1StatefulSet</c>), the top-level fields
/// of an object for the program validator, and strict deserialization, in which a field the API does not have fails.
/// </summary>
internal static class KubernetesModels
{
    private static readonly Assembly Models = typeof(V1Pod).Assembly;

    /// <summary>KubernetesClient's own options (its converters for quantities, int-or-string and dates); AddJsonOptions hands out the shared instance.</summary>
    private static readonly Lazy<JsonSerializerOptions> Shared = new(() =>
    {
        JsonSerializerOptions? shared = null;
        KubernetesJson.AddJsonOptions(options => shared = options);
        return new JsonSerializerOptions(shared!);
    });

    /// <summary>A copy of them that refuses a field the model does not have.</summary>
    private static readonly Lazy<JsonSerializerOptions> Strict = new(() => new JsonSerializerOptions(Shared.Value) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow });

    /// <summary>apiVersion and kind of a Pulumi kubernetes token: <c>kubernetes:core/v1:Service</c> → (v1, Service).</summary>
    public static (string ApiVersion, string Kind) ApiVersionKind(string token)
    {
        var parts = token.Split(':');
        var groupVersion = parts[1];
        return (groupVersion.StartsWith("core/", StringComparison.Ordinal) ? groupVersion["core/".Length..] : groupVersion, parts[2]);
    }

    /// <summary>The model class for a token, e.g. V1StatefulSet or V1beta1DeviceClass; null when KubernetesClient has none.</summary>
    public static Type? ModelType(string token)
    {
        var (apiVersion, kind) = ApiVersionKind(token);
        var version = apiVersion.Split('/')[^1];
        var name = $"k8s.Models.{char.ToUpperInvariant(version[0])}{version[1..]}{kind}";
        return Models.GetType(name);
    }

    /// <summary>
    /// The token's contract with the object's top-level fields: every field of the model as an input except status,
    /// which the API server writes, and every field as an output; values are checked by the object validators.
    /// </summary>
    public static ResourceContract Contract(ResourceContract token) => Contracts.GetOrAdd(token.Token, _ => Build(token));

    private static readonly ConcurrentDictionary<string, ResourceContract> Contracts = new(StringComparer.Ordinal);

    private static ResourceContract Build(ResourceContract token)
    {
        var type = ModelType(token.Token) ?? throw new InvalidOperationException($"KubernetesClient has no model for {token.Token}");
        var fields = type.GetProperties()
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
        static JsonElement Spec(IEnumerable<string> names) => JsonSerializer.SerializeToElement(new JsonObject(names.Select(n =>
            new KeyValuePair<string, JsonNode?>(n, n is "apiVersion" or "kind" ? new JsonObject { ["type"] = "string" } : new JsonObject { ["$ref"] = "pulumi.json#/Any" }))));
        return token with { Inputs = Spec(fields.Where(f => f != "status")), Outputs = Spec(fields) };
    }

    /// <summary>
    /// The object as the typed API model writes it back: quantities canonical (24Gi, 4500m), nulls dropped — what
    /// pulumi-kubernetes' clients.Normalize (provider/pkg/clients/unstructured.go: FromUnstructured, ToUnstructured)
    /// and the API server, which stores the same canonical forms, make of it.
    /// </summary>
    public static JsonNode RoundTrip(string token, string json)
    {
        var type = ModelType(token)!;
        var model = JsonSerializer.Deserialize(json, type, Shared.Value);
        return JsonNode.Parse(JsonSerializer.Serialize(model, type, Shared.Value))!;
    }

    /// <summary>Deserializes <paramref name="json"/> into the token's model; null when it fits, else what did not.</summary>
    public static string? StrictError(string token, string json)
    {
        var type = ModelType(token)!;
        try
        {
            _ = JsonSerializer.Deserialize(json, type, Strict.Value);
            return null;
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }
}
