using System.Globalization;

using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Spec.Yaml;

namespace HomeLab.Modules.Docker;

/// <summary>What an instance on a Docker host must get right: a ROCm image exactly for AMD GPUs, Ollama's own port,
/// no NixOS-only settings, and cpus the Docker provider reads back unchanged.</summary>
internal sealed class DockerInstanceRules : IHostRules
{
    public void Check(InstanceSpec instance, HostSpec host, NodeReader r)
    {
        if (host is not DockerHostSpec)
        {
            return;
        }

        var what = $"instance '{instance.Name}'";
        RocmImageRule.Check(instance, r);
        if (instance.Gpu.Vendor is GpuVendor.Amd or GpuVendor.Intel && instance.Gpu.Count is not null)
        {
            r.Error(instance.At, $"{what} gpu: selecting devices by count is only supported for nvidia on Docker host '{host.Name}'",
                "remove 'count'; AMD and Intel GPUs are passed through as /dev/kfd and /dev/dri");
        }

        if (instance.Port != Endpoints.OllamaPort)
        {
            r.Error(instance.At, $"{what} sets 'port' on Docker host '{host.Name}'", $"remove 'port'; in a container Ollama listens on {Endpoints.OllamaPort} and 'publish: {{ port: N }}' chooses the host port");
        }

        if (instance.Resources.Priority is not null)
        {
            r.Error(instance.At, $"{what} sets resources 'priority' on Docker host '{host.Name}'", "remove 'priority'; it applies to NixOS hosts, and on Docker 'cpus' and 'memory' keep co-tenants responsive");
        }

        if (instance.Resources.Cpus is { } cpus && ProviderBehaviour.Cpus(cpus) is null)
        {
            r.Error(instance.At, $"{what} sets cpus {cpus.ToString(CultureInfo.InvariantCulture)}, which the Docker provider reads back as a different value, so every pulumi up would replace the container",
                $"use {ProviderBehaviour.NearestCpus(cpus)} instead (the provider keeps at most nine decimals, and values such as 0.05 or 10.05 are rounded)");
        }
    }
}
