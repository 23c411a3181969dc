namespace HomeLab.Program;

/// <summary>
/// Which changes replace a Kubernetes object under the pinned kubernetes provider, from pulumi-kubernetes
/// provider/pkg/provider/diff.go (forceNewProperties and its tables): the provider compares the old and new
/// inputs and asks for a replacement when a changed path lies at or under one of these; anything else is applied
/// in place by server-side apply. Paths are as <c>homelab diff</c> writes them (<c>spec.volumeClaimTemplates[0]</c>).
/// </summary>
internal static class KubernetesBehaviour
{
    /// <summary>metadataForceNewProperties(".metadata"): every kind is replaced when its name or namespace changes.</summary>
    private static readonly string[] Metadata = ["metadata.name", "metadata.namespace"];

    /// <summary>labelSelectorForceNewProperties: the whole selector and each part of it.</summary>
    private const string Selector = "spec.selector";

    /// <summary>The object kinds HomeLab emits and the paths that replace each (on top of <see cref="Metadata"/>).</summary>
    private static readonly Dictionary<string, string[]> ForceNew = new(StringComparer.Ordinal)
    {
        // statefulSet: a StatefulSet's claim templates, service name, selector and pod management are immutable.
        ["kubernetes:apps/v1:StatefulSet"] = ["spec.podManagementPolicy", "spec.revisionHistoryLimit", Selector, "spec.serviceName", "spec.volumeClaimTemplates"],
        // deployment: only the selector (after v1beta1).
        ["kubernetes:apps/v1:Deployment"] = [Selector],
        // core "Service": the cluster IP, once allocated.
        ["kubernetes:core/v1:Service"] = ["spec.clusterIP"],
        // core "PersistentVolumeClaim".
        ["kubernetes:core/v1:PersistentVolumeClaim"] = ["spec.accessModes", Selector, "spec.storageClassName", "spec.volumeName"],
        // forceNewProperties: a Secret is replaced on any data change unless enableSecretMutable (HomeLab leaves it off).
        ["kubernetes:core/v1:Secret"] = ["type", "stringData", "data"],
        // forceNewProperties: a ConfigMap likewise unless enableConfigMapMutable (off).
        ["kubernetes:core/v1:ConfigMap"] = ["binaryData", "data"],
        ["kubernetes:core/v1:Namespace"] = [],
        ["kubernetes:networking.k8s.io/v1:NetworkPolicy"] = [],
    };

    public static bool Models(string type) => ForceNew.ContainsKey(type);

    /// <summary>The rule path a change at <paramref name="path"/> falls under, so it replaces the object; null when it updates in place.</summary>
    public static string? ReplacedBy(string type, string path)
    {
        foreach (var rule in Metadata.Concat(ForceNew.GetValueOrDefault(type) ?? []))
        {
            if (path == rule || path.StartsWith(rule + ".", StringComparison.Ordinal) || path.StartsWith(rule + "[", StringComparison.Ordinal))
            {
                return rule;
            }
        }

        return null;
    }
}
