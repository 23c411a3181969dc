using System.Text.Json;

using HomeLab.Contracts;

namespace HomeLab.Tests.ProgramValidation;

/// <summary>
/// The Docker and Command packages as their committed digests declare them (tests/HomeLab.Contracts/digests), with
/// Pulumi YAML's rules for finding a type by the token a program writes (pkg/pulumiyaml/packages.go: exact, then
/// case-insensitive, then <c>pkg:Type</c> → <c>pkg:index:Type</c> → <c>pkg:index/type:Type</c>).
/// </summary>
internal sealed class ProviderSchemas
{
    private readonly Dictionary<string, ProviderContract> packages;

    private ProviderSchemas(IEnumerable<ProviderContract> contracts) =>
        packages = contracts.ToDictionary(c => c.Package, StringComparer.Ordinal);

    public static ProviderSchemas Committed { get; } = new([ProviderContract.Docker, ProviderContract.Command, ProviderContract.Kubernetes]);

    /// <summary>The declaration of <paramref name="token"/>, or null when no package declares it.</summary>
    public ResourceContract? Resource(string token)
    {
        var parts = token.Split(':');
        if (parts is ["pulumi", "providers", var name])
        {
            return packages.TryGetValue(name, out var provider) ? provider.Provider : null;
        }

        if (parts.Length is < 2 or > 3 || !packages.TryGetValue(parts[0], out var package))
        {
            return null;
        }

        var candidates = parts.Length == 2
            ? new[] { token, $"{parts[0]}:index:{parts[1]}", $"{parts[0]}:index/{parts[1].ToLowerInvariant()}:{parts[1]}" }
            : [token, $"{parts[0]}:{parts[1]}/{parts[2].ToLowerInvariant()}:{parts[2]}"];
        foreach (var candidate in candidates)
        {
            foreach (var (declared, resource) in package.Resources)
            {
                if (declared.Equals(candidate, StringComparison.OrdinalIgnoreCase))
                {
                    // The digest names the kubernetes tokens; an object's fields come from the Kubernetes API models.
                    return package == ProviderContract.Kubernetes ? Kubernetes.KubernetesModels.Contract(resource) : resource;
                }
            }
        }

        return null;
    }

    /// <summary>The named type a <c>$ref</c> such as <c>#/types/docker:index/ContainerPort:ContainerPort</c> points to.</summary>
    public JsonElement? Type(string package, string reference) =>
        packages.TryGetValue(package, out var contract) ? contract.Reference(reference) : null;
}
