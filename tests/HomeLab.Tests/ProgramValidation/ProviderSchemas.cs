using System.Text.Json;

using HomeLab.Tests.Support;

namespace HomeLab.Tests.ProgramValidation;

/// <summary>A resource (or provider) type as its package schema declares it.</summary>
internal sealed record ResourceSchema(string Token, string Package, JsonElement Inputs, JsonElement Outputs, IReadOnlyList<string> RequiredInputs)
{
    public bool IsProvider => Token.StartsWith("pulumi:providers:", StringComparison.Ordinal);
}

/// <summary>
/// The Docker and Command package schemas from ../shared/reference, with Pulumi YAML's rules for finding a type
/// by the token a program writes (pkg/pulumiyaml/packages.go: exact, then case-insensitive, then
/// <c>pkg:Type</c> → <c>pkg:index:Type</c> → <c>pkg:index/type:Type</c>).
/// </summary>
internal sealed class ProviderSchemas
{
    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement;

    private readonly Dictionary<string, JsonElement> packages;

    private ProviderSchemas(IEnumerable<JsonElement> schemas) =>
        packages = schemas.ToDictionary(s => s.GetProperty("name").GetString()!, StringComparer.Ordinal);

    public static ProviderSchemas Reference { get; } = new(
        new[] { "pulumi-docker.schema.json", "pulumi-command.schema.json" }
            .Select(file => JsonDocument.Parse(File.ReadAllText(Repo.ReferenceFile(file))).RootElement));

    /// <summary>The schema of <paramref name="token"/>, or null when no package declares it.</summary>
    public ResourceSchema? Resource(string token)
    {
        var parts = token.Split(':');
        if (parts is ["pulumi", "providers", var name])
        {
            // A package without a 'provider' section has a provider resource with no inputs or outputs.
            return packages.TryGetValue(name, out var pkg)
                ? Describe(token, name, pkg.TryGetProperty("provider", out var provider) ? provider : Empty)
                : null;
        }

        if (parts.Length is < 2 or > 3 || !packages.TryGetValue(parts[0], out var package))
        {
            return null;
        }

        var resources = package.GetProperty("resources");
        var candidates = parts.Length == 2
            ? new[] { token, $"{parts[0]}:index:{parts[1]}", $"{parts[0]}:index/{parts[1].ToLowerInvariant()}:{parts[1]}" }
            : [token, $"{parts[0]}:{parts[1]}/{parts[2].ToLowerInvariant()}:{parts[2]}"];
        foreach (var candidate in candidates)
        {
            foreach (var resource in resources.EnumerateObject())
            {
                if (resource.Name.Equals(candidate, StringComparison.OrdinalIgnoreCase))
                {
                    return Describe(resource.Name, parts[0], resource.Value);
                }
            }
        }

        return null;
    }

    /// <summary>The named type a <c>$ref</c> such as <c>#/types/docker:index/ContainerPort:ContainerPort</c> points to.</summary>
    public JsonElement? Type(string package, string reference)
    {
        const string Local = "#/types/";
        if (!reference.StartsWith(Local, StringComparison.Ordinal) || !packages.TryGetValue(package, out var pkg))
        {
            return null;
        }

        var name = Uri.UnescapeDataString(reference[Local.Length..]);
        return pkg.GetProperty("types").TryGetProperty(name, out var type) ? type : null;
    }

    private static ResourceSchema Describe(string token, string package, JsonElement resource) => new(
        token,
        package,
        resource.TryGetProperty("inputProperties", out var inputs) ? inputs : Empty,
        resource.TryGetProperty("properties", out var outputs) ? outputs : Empty,
        resource.TryGetProperty("requiredInputs", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).ToList() : []);
}
