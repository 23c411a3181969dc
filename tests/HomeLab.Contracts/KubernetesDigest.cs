using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HomeLab.Contracts;

/// <summary>
/// The facts of the Pulumi kubernetes package (4.34.2) the tests check programs against, from two files of its
/// Node.js SDK: the provider's inputs and their types (<c>provider.d.ts</c>, interface ProviderArgs) and the resource
/// tokens (<c>resource-types.txt</c>, one token a line). The fields of each Kubernetes object are not here: the
/// Kubernetes API models (KubernetesClient) and kubernetes-models check those, independently of each other.
/// </summary>
public static partial class KubernetesDigest
{
    /// <summary>The provider's inputs: <c>name?: pulumi.Input&lt;TYPE | undefined&gt;;</c> inside <c>interface ProviderArgs</c>.</summary>
    public static string GenerateProvider(string providerDts)
    {
        var start = providerDts.IndexOf("export interface ProviderArgs {", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new FormatException("provider.d.ts declares no 'export interface ProviderArgs'");
        }

        var end = providerDts.IndexOf("\n}", start, StringComparison.Ordinal);
        var inputs = new List<KeyValuePair<string, JsonNode?>>();
        foreach (Match match in ProviderInput().Matches(providerDts[start..end]))
        {
            var type = match.Groups["type"].Value;
            JsonNode spec = type switch
            {
                "boolean" => new JsonObject { ["type"] = "boolean" },
                "string" => new JsonObject { ["type"] = "string" },
                "number" => new JsonObject { ["type"] = "number" },
                _ => new JsonObject { ["$ref"] = "pulumi.json#/Any" },
            };
            inputs.Add(new(match.Groups["name"].Value, spec));
        }

        return DigestJson.Write(new JsonObject
        {
            ["package"] = "kubernetes",
            ["config"] = new JsonObject(),
            ["provider"] = new JsonObject { ["inputs"] = DigestJson.Sorted(inputs) },
            ["resources"] = new JsonObject(),
            ["types"] = new JsonObject(),
        });
    }

    /// <summary>The Kubernetes object tokens (<c>kubernetes:GROUP/VERSION:Kind</c>), without the List and Patch variants and the Helm/YAML/Kustomize components.</summary>
    public static string GenerateResources(string resourceTypes)
    {
        var tokens = resourceTypes.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(t => ObjectToken().IsMatch(t) && !t.EndsWith("List", StringComparison.Ordinal) && !t.EndsWith("Patch", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Select(t => new KeyValuePair<string, JsonNode?>(t, new JsonObject()));
        return DigestJson.Write(new JsonObject { ["package"] = "kubernetes", ["resources"] = DigestJson.Sorted(tokens) });
    }

    [GeneratedRegex(@"^\s+(?<name>[A-Za-z]+)\?: pulumi\.Input<(?<type>[A-Za-z.]+) \| undefined>;", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ProviderInput();

    /// <summary>Object tokens: a core or API group, a Kubernetes version, a kind; not helm.sh, yaml or kustomize.</summary>
    [GeneratedRegex(@"^kubernetes:(core|[a-z0-9.-]+\.[a-z]+|apps|batch|policy|autoscaling)/v[0-9]+((alpha|beta)[0-9]+)?:[A-Z][A-Za-z]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ObjectToken();
}
