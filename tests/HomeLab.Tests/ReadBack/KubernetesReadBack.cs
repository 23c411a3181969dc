using System.Text.Json.Nodes;

using HomeLab.Tests.Kubernetes;

namespace HomeLab.Tests.ReadBack;

/// <summary>
/// The read-back model of the kubernetes provider. pulumi-kubernetes provider/pkg/provider/provider.go (Diff)
/// compares the new inputs, normalized (normalizeInputs: clients.Normalize, a round trip through the typed API
/// object), with the live object pruned to the shape of the old inputs (pruneLiveState): server-set fields and
/// defaults drop out, and a value differs only when the API server stores it in another form than the program
/// wrote it. The API server stores the typed object's canonical form, which <see cref="KubernetesModels.RoundTrip"/>
/// gives; so an object is a fixed point when its round trip, pruned to its own shape, is itself.
/// </summary>
internal static class KubernetesReadBack
{
    public static IEnumerable<Drift> Drifts(string program)
    {
        foreach (var item in KubernetesObjects.Of(program))
        {
            var stored = Prune(KubernetesModels.RoundTrip(item.Token, item.Body.ToJsonString()), item.Body);
            foreach (var (field, planned) in item.Body)
            {
                var live = stored?[field];
                if (Canonical(planned) != Canonical(live))
                {
                    yield return new Drift(item.Resource, item.Token, field, Canonical(planned), Canonical(live));
                }
            }
        }
    }

    /// <summary>pruneMap / pruneSlice (provider.go): keep the live value only where the inputs have one.</summary>
    private static JsonNode? Prune(JsonNode? live, JsonNode? shape) => (live, shape) switch
    {
        (JsonObject map, JsonObject keys) => new JsonObject(keys.Where(k => map.ContainsKey(k.Key)).Select(k => new KeyValuePair<string, JsonNode?>(k.Key, Prune(map[k.Key], k.Value)))),
        (JsonArray list, JsonArray items) => new JsonArray(list.Take(items.Count).Select((l, i) => Prune(l, items[i])).ToArray()),
        _ => live?.DeepClone(),
    };

    private static string Canonical(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject map => "{" + string.Join(",", map.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + ":" + Canonical(e.Value))) + "}",
        JsonArray list => "[" + string.Join(",", list.Select(Canonical)) + "]",
        _ => node.ToJsonString(),
    };
}
