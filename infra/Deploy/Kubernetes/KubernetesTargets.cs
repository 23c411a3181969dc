using HomeLab.Conventions;
using HomeLab.Modules.Kubernetes;
using HomeLab.Spec;
using HomeLab.Workspace;

namespace HomeLab.Deploy.Kubernetes;

/// <summary>
/// The preflight's input from a stack: one <see cref="KubernetesTarget"/> per Kubernetes host that runs an instance
/// or the proxy, with the values the compiled program gives the cluster (namespace by convention, the GPU resource its
/// pods request (<see cref="KubernetesOllama.GpuResource"/>), one GPU when the count is left open) and the position of
/// each setting.
/// </summary>
internal static class KubernetesTargets
{
    public static IEnumerable<KubernetesTarget> Of(StackSpec spec, SettingPositions at, string projectRoot)
    {
        foreach (var host in spec.UsedHosts().OfType<KubernetesHostSpec>())
        {
            SourceMark Host(string key) => at.At("hosts", host.Name, key);
            var cluster = new ClusterSettings(
                at.File, host.Name, at.At("hosts", host.Name),
                KubeconfigFile.Resolve(host.Kubeconfig, projectRoot), Host("kubeconfig"),
                host.Context, Host("context"),
                KubernetesNames.Namespace(spec.Name, host.Namespace), Host("namespace"),
                new Dictionary<string, string>(StringComparer.Ordinal) { [KubernetesNames.ManagedByLabel] = KubernetesNames.ManagedBy, [KubernetesNames.InstanceLabel] = spec.Name },
                host.StorageClass, Host("storageClass"),
                host.RuntimeClass, Host("runtimeClass"));
            var workloads = spec.InstancesOn(host).Select(i => new KubernetesWorkload(
                i.Name, at.At("instances", i.Name),
                i.Gpu.Vendor, i.Gpu.Vendor is GpuVendor.None ? null : KubernetesOllama.GpuResource(i, host), i.Gpu.Count ?? 1, at.At("instances", i.Name, "gpu"),
                i.Resources.MemoryBytes, at.At("instances", i.Name, "resources", "memory"),
                i.Replicas, at.At("instances", i.Name, "replicas"),
                i.NodeSelector.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal), at.At("instances", i.Name, "nodeSelector")));
            yield return new KubernetesTarget(cluster, workloads.ToList());
        }
    }
}
