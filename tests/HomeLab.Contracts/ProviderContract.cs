using System.Text.Json;

namespace HomeLab.Contracts;

/// <summary>A provider package's digest (see <see cref="ProviderDigest"/>), read: resources, named types, config.</summary>
public sealed class ProviderContract
{
    private static readonly Lazy<ProviderContract> DockerContract = new(() => Parse(ContractDigests.Docker.Committed()));
    private static readonly Lazy<ProviderContract> CommandContract = new(() => Parse(ContractDigests.Command.Committed()));
    private static readonly Lazy<ProviderContract> KubernetesContract = new(() => Merge(ContractDigests.KubernetesProvider.Committed(), ContractDigests.KubernetesResources.Committed()));

    private readonly JsonElement root;

    private ProviderContract(JsonElement root)
    {
        this.root = root;
        Package = root.GetProperty("package").GetString()!;
        Provider = Describe($"pulumi:providers:{Package}", root.GetProperty("provider"));
        Resources = root.GetProperty("resources").EnumerateObject()
            .ToDictionary(r => r.Name, r => Describe(r.Name, r.Value), StringComparer.Ordinal);
    }

    public static ProviderContract Docker => DockerContract.Value;

    public static ProviderContract Command => CommandContract.Value;

    /// <summary>The kubernetes package: the provider's inputs and the object tokens, from its two digests.</summary>
    public static ProviderContract Kubernetes => KubernetesContract.Value;

    public string Package { get; }

    /// <summary>The provider resource (<c>pulumi:providers:PACKAGE</c>) and its inputs.</summary>
    public ResourceContract Provider { get; }

    /// <summary>Resources by their exact token, e.g. <c>docker:index/container:Container</c>.</summary>
    public IReadOnlyDictionary<string, ResourceContract> Resources { get; }

    /// <summary>Stack config variables the package reads (<c>docker:host</c> and such), name → type spec.</summary>
    public JsonElement Config => root.GetProperty("config");

    public static ProviderContract Parse(string digest) => new(JsonDocument.Parse(digest).RootElement);

    private static ProviderContract Merge(string provider, string resources)
    {
        var merged = System.Text.Json.Nodes.JsonNode.Parse(provider)!.AsObject();
        merged["resources"] = System.Text.Json.Nodes.JsonNode.Parse(resources)!["resources"]!.DeepClone();
        return Parse(merged.ToJsonString());
    }

    /// <summary>A named type by token (<c>docker:index/ContainerPort:ContainerPort</c>), or null.</summary>
    public JsonElement? Type(string token) => root.GetProperty("types").TryGetProperty(token, out var type) ? type : null;

    /// <summary>The named type a <c>$ref</c> such as <c>#/types/docker:index/ContainerPort:ContainerPort</c> points to, or null.</summary>
    public JsonElement? Reference(string reference)
    {
        const string Local = "#/types/";
        return reference.StartsWith(Local, StringComparison.Ordinal) ? Type(Uri.UnescapeDataString(reference[Local.Length..])) : null;
    }

    /// <summary>The allowed values of an enum type, as strings.</summary>
    public IReadOnlyList<string> EnumValues(string token) =>
        Type(token) is { } type && type.TryGetProperty("enum", out var values)
            ? values.EnumerateArray().Select(v => v.ToString()).ToList()
            : throw new KeyNotFoundException($"{Package} declares no enum type '{token}'");

    private ResourceContract Describe(string token, JsonElement resource) => new(
        token,
        Package,
        resource.TryGetProperty("inputs", out var inputs) ? inputs : EmptyObject(),
        resource.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).ToList() : [],
        resource.TryGetProperty("outputs", out var outputs) ? outputs : EmptyObject());

    private static JsonElement EmptyObject() => JsonDocument.Parse("{}").RootElement;
}
