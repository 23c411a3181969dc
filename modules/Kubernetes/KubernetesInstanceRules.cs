using System.Globalization;

using HomeLab.Conventions;
using HomeLab.Spec;
using HomeLab.Spec.Shape;
using HomeLab.Spec.Yaml;

namespace HomeLab.Modules.Kubernetes;

/// <summary>
/// What an instance on a Kubernetes host must get right — a ROCm image exactly for AMD GPUs, a GPU resource of its
/// own vendor, storage as a volume claim, no host ports or host paths, cpus in whole millicores — and the settings
/// only Kubernetes hosts have (replicas, nodeSelector, storage size), refused elsewhere.
/// </summary>
internal sealed class KubernetesInstanceRules : IHostRules
{
    /// <summary>Variables the StatefulSet sets itself: the listen address, and the model directory and HOME on the volume.</summary>
    private static readonly string[] ReservedEnvironment = ["HOME", "OLLAMA_HOST", "OLLAMA_MODELS"];

    public void Check(InstanceSpec instance, HostSpec host, NodeReader r)
    {
        if (host is KubernetesHostSpec kubernetes)
        {
            CheckOnCluster(instance, kubernetes, r);
        }
        else
        {
            RefuseElsewhere(instance, host, r);
        }
    }

    private static void CheckOnCluster(InstanceSpec instance, KubernetesHostSpec host, NodeReader r)
    {
        var what = $"instance '{instance.Name}'";
        var on = $"Kubernetes host '{host.Name}'";
        RocmImageRule.Check(instance, r);
        if (instance.Publish is not null)
        {
            r.Error(instance.At, $"{what} sets 'publish' on {on}", "remove 'publish'; reach Ollama through the proxy, whose Service type the host's 'proxyService' chooses");
        }

        if (instance.Port != Endpoints.OllamaPort)
        {
            r.Error(instance.At, $"{what} sets 'port' on {on}", $"remove 'port'; in its pod Ollama listens on {Endpoints.OllamaPort} and its Service forwards to it");
        }

        if (instance.Resources.Priority is not null)
        {
            r.Error(instance.At, $"{what} sets resources 'priority' on {on}", "remove 'priority'; on Kubernetes 'cpus' and 'memory' become requests and limits, which keep co-tenants responsive");
        }

        if (instance.Gpu.DeviceIds.Count > 0)
        {
            r.Error(instance.At, $"{what} selects GPU devices by id on {on}", "write 'count: N' instead; the device plugin chooses which GPUs a pod gets (use 'nodeSelector' to choose the node)");
        }

        if (instance.Storage.Path is not null)
        {
            r.Error(instance.At, $"{what} stores models in a host path on {on}", "remove 'path'; each replica gets a volume claim of the host's 'storageClass' — set its size with 'storage: { size: 200GiB }'");
        }
        else if (instance.Storage.Volume != ResourceNames.ModelsVolume(instance.Name))
        {
            r.Error(instance.At, $"{what} names a volume on {on}", "remove 'volume'; each replica gets its own volume claim from the StatefulSet — set its size with 'storage: { size: 200GiB }'");
        }

        foreach (var reserved in instance.Environment.Select(e => e.Key).Where(ReservedEnvironment.Contains))
        {
            r.Error(instance.At, $"{what} sets env {reserved}, which the StatefulSet sets itself", $"remove it; Ollama listens on its port in the pod, and HOME and OLLAMA_MODELS lie on the model volume ({KubernetesNames.ModelsMount})");
        }

        if (instance.Resources.Cpus is { } cpus && Math.Abs((cpus * 1000) - Math.Round(cpus * 1000)) > 1e-9)
        {
            r.Error(instance.At, $"{what} sets cpus {cpus.ToString(CultureInfo.InvariantCulture)}, finer than the millicore Kubernetes keeps",
                $"use {(Math.Ceiling(cpus * 1000) / 1000).ToString(CultureInfo.InvariantCulture)} (Kubernetes rounds CPU quantities up to whole millicores: apimachinery resource.Quantity keeps milli-units)");
        }

        if (instance.Gpu.Vendor is not GpuVendor.None && host.GpuResource is { } resource && SpecShape.VendorOf(resource) != instance.Gpu.Vendor)
        {
            r.Error(instance.At, $"{what} has a {SpecShape.GpuVendors.Of(instance.Gpu.Vendor)} GPU, but {on} gives pods '{resource}'",
                $"remove 'gpuResource' from host '{host.Name}' to use {SpecShape.GpuResourceFor(instance.Gpu.Vendor)}, or declare a second host on the same cluster for this vendor");
        }
    }

    private static void RefuseElsewhere(InstanceSpec instance, HostSpec host, NodeReader r)
    {
        var what = $"instance '{instance.Name}'";
        if (instance.Replicas != SpecShape.Instance.Default<int>("replicas"))
        {
            r.Error(instance.At, $"{what} sets 'replicas' on host '{host.Name}', which is not a Kubernetes host", "remove 'replicas'; declare another instance to run a second Ollama on this host");
        }

        if (instance.NodeSelector.Count > 0)
        {
            r.Error(instance.At, $"{what} sets 'nodeSelector' on host '{host.Name}', which is not a Kubernetes host", "remove 'nodeSelector'; the instance runs on the host it names");
        }

        if (instance.Storage.SizeBytes is not null)
        {
            r.Error(instance.At, $"{what} sets storage 'size' on host '{host.Name}', which is not a Kubernetes host", "remove 'size'; a Docker volume or host directory grows with the disk it is on");
        }
    }
}
