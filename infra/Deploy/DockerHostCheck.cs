using System.Globalization;

using HomeLab.Spec;

namespace HomeLab.Deploy;

/// <summary>
/// Compares what a stack asks of one Docker host with what the host has. Pure: every mismatch becomes one
/// diagnostic at the setting to change, saying what the host has and how to fix it.
/// </summary>
internal static class DockerHostCheck
{
    public const string NvidiaToolkitInstall = "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html";
    public const string RocmInstall = "https://rocm.docs.amd.com/projects/install-on-linux/en/latest/";

    /// <summary>Paths on the host the check needs to know about: GPU device nodes and model storage directories.</summary>
    public static IReadOnlyList<string> PathsToProbe(StackSpec spec, DockerHostSpec host) =>
        spec.InstancesOn(host)
            .SelectMany(i => DeviceNodes(i.Gpu.Vendor).Concat(i.Storage.Path is { } p ? [p] : []))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The host ports this stack binds on <paramref name="host"/>, each with the key path that sets it.</summary>
    public static IReadOnlyList<(string Bind, int Port, string[] Setting, string Who)> Bindings(StackSpec spec, DockerHostSpec host)
    {
        var bindings = new List<(string, int, string[], string)>();
        if (spec.Proxy is { } proxy && proxy.Host == host.Name)
        {
            bindings.Add((proxy.Bind, proxy.HttpPort, ["proxy", "ports", "http"], "the proxy's http port"));
            if (proxy.Tls is not TlsMode.Off)
            {
                bindings.Add((proxy.Bind, proxy.HttpsPort, ["proxy", "ports", "https"], "the proxy's https port"));
            }
        }

        foreach (var instance in spec.InstancesOn(host))
        {
            if (instance.Publish is { } publish)
            {
                bindings.Add((publish.Bind, publish.Port, ["instances", instance.Name, "publish", "port"], $"instance '{instance.Name}' publish port"));
            }
        }

        return bindings;
    }

    public static IReadOnlyList<Diagnostic> Compare(StackSpec spec, DockerHostSpec host, DockerHostFacts facts, SettingPositions at)
    {
        var problems = new List<Diagnostic>();
        var engine = facts.Engine;
        var name = $"host '{host.Name}'";
        foreach (var instance in spec.InstancesOn(host))
        {
            string[] Setting(params string[] rest) => ["instances", instance.Name, .. rest];
            var what = $"{name}: instance '{instance.Name}'";

            if (instance.Resources.Cpus is { } cpus && cpus > engine.Cpus)
            {
                problems.Add(at.Problem(Setting("resources", "cpus"),
                    $"{what} asks for cpus {Number(cpus)}, the Docker engine has {engine.Cpus} CPU(s) (Docker refuses to create the container)",
                    $"set cpus to at most {engine.Cpus}, or remove it to let Ollama use every CPU"));
            }

            if (instance.Resources.MemoryBytes is { } memory && memory > engine.MemoryBytes)
            {
                problems.Add(at.Problem(Setting("resources", "memory"),
                    $"{what} asks for memory {Size(memory)}, the host has {Size(engine.MemoryBytes)} in all",
                    $"set memory below what the host has, leaving room for the host itself (e.g. {Math.Max(1, engine.MemoryBytes * 3 / 4 >> 30)}GiB)"));
            }

            CheckGpu(instance, what, Setting, facts, at, problems);

            if (instance.Storage.Path is { } path && !facts.Directories.Contains(path))
            {
                problems.Add(at.Problem(Setting("storage", "path"), facts.OtherFiles.Contains(path)
                        ? $"{what} stores models in {path}, which on the host is a file, not a directory"
                        : $"{what} stores models in {path}, which does not exist on the host (Docker would create it empty and owned by root)",
                    facts.OtherFiles.Contains(path)
                        ? "point storage path at a directory"
                        : $"create it on the host (sudo mkdir -p {path}) or correct the path; models already downloaded elsewhere would otherwise be fetched again"));
            }
        }

        foreach (var (bind, port, setting, who) in Bindings(spec, host))
        {
            // A port this stack's own container publishes is free for the redeploy that replaces that container.
            var ownSocket = facts.OwnContainers.Any(l => l.Blocks(bind, port));
            if ((facts.OtherContainers.FirstOrDefault(l => l.Blocks(bind, port)) ?? (ownSocket ? null : facts.Sockets.FirstOrDefault(l => l.Blocks(bind, port)))) is { } taken)
            {
                problems.Add(at.Problem(setting,
                    $"{name}: {who} {bind}:{port} is already taken there, by {taken.Holder}",
                    "stop what holds it, or choose a free port"));
            }
        }

        return problems;
    }

    /// <summary>
    /// What fits but may still wake someone at night: memory limits that each fit the host but together exceed it.
    /// The program's <c>memory</c> becomes the container's HostConfig.Memory, a cap, never MemoryReservation
    /// (terraform-provider-docker v4.5.0, resource_docker_container_funcs.go, resourceDockerContainerCreate), so
    /// Docker starts every container; when the instances load models at the same time the kernel's OOM killer ends one
    /// of them (Docker restarts it, and its models load again).
    /// </summary>
    public static IReadOnlyList<Diagnostic> Warnings(StackSpec spec, DockerHostSpec host, DockerHostFacts facts, SettingPositions at)
    {
        var limited = spec.InstancesOn(host).Where(i => i.Resources.MemoryBytes is { } m && m <= facts.Engine.MemoryBytes).ToList();
        var total = limited.Sum(i => i.Resources.MemoryBytes!.Value);
        if (limited.Count < 2 || total <= facts.Engine.MemoryBytes)
        {
            return [];
        }

        var each = string.Join(", ", limited.Select(i => $"'{i.Name}' {Size(i.Resources.MemoryBytes!.Value)}"));
        return
        [
            at.Problem(["instances", limited[^1].Name, "resources", "memory"],
                $"warning: host '{host.Name}': the memory limits of its instances ({each}) add up to {Size(total)}, more than the {Size(facts.Engine.MemoryBytes)} it has; " +
                    "if they load models at the same time the kernel ends one of them (Docker restarts it and its models load again)",
                "lower the limits until they add up to less than the host has, leaving room for the host itself; the deploy goes ahead as it is"),
        ];
    }

    private static void CheckGpu(InstanceSpec instance, string what, Func<string[], string[]> setting, DockerHostFacts facts, SettingPositions at, List<Diagnostic> problems)
    {
        switch (instance.Gpu.Vendor)
        {
            case GpuVendor.Nvidia when !facts.Engine.ServesNvidia:
                problems.Add(at.Problem(setting(["gpu", "vendor"]),
                    $"{what} asks for an NVIDIA GPU, and the Docker engine ({facts.Engine.Version}) has no NVIDIA runtime (runtimes: {string.Join(", ", facts.Engine.Runtimes)}) and no CDI nvidia.com/gpu device",
                    $"install the NVIDIA driver and the NVIDIA Container Toolkit on the host ({NvidiaToolkitInstall}), then run 'sudo nvidia-ctk runtime configure --runtime=docker' and 'sudo systemctl restart docker'"));
                break;
            case GpuVendor.Nvidia when facts.NvidiaGpus is { } gpus:
                foreach (var id in instance.Gpu.DeviceIds.Where(id => !gpus.Contains(id)))
                {
                    problems.Add(at.Problem(setting(["gpu", "devices"]),
                        $"{what} asks for NVIDIA device '{id}', and the host has {(gpus.Count == 0 ? "none" : string.Join(", ", gpus))} (nvidia-smi)",
                        "use a GPU index or UUID that 'nvidia-smi -L' lists on the host"));
                }

                var count = gpus.Count(g => !g.StartsWith("GPU-", StringComparison.Ordinal));
                if (instance.Gpu.Count is { } wanted && wanted > count)
                {
                    problems.Add(at.Problem(setting(["gpu", "count"]),
                        $"{what} asks for {wanted} NVIDIA GPU(s), and the host has {count}",
                        $"set count to at most {count}"));
                }

                break;
            case GpuVendor.Amd or GpuVendor.Intel:
                var missing = DeviceNodes(instance.Gpu.Vendor).Where(d => !facts.Exists(d)).ToList();
                if (missing.Count > 0)
                {
                    problems.Add(at.Problem(setting(["gpu", "vendor"]),
                        $"{what} asks for an {(instance.Gpu.Vendor is GpuVendor.Amd ? "AMD" : "Intel")} GPU, and the host has no {string.Join(" and no ", missing)}",
                        instance.Gpu.Vendor is GpuVendor.Amd
                            ? $"install the amdgpu kernel driver with ROCm on the host ({RocmInstall}) so /dev/kfd and /dev/dri exist, or set vendor to none"
                            : "load the Intel GPU driver on the host (i915 or xe; check 'ls /dev/dri'), or set vendor to none"));
                }

                break;
        }
    }

    private static IEnumerable<string> DeviceNodes(GpuVendor vendor) => vendor switch
    {
        GpuVendor.Amd => ["/dev/kfd", "/dev/dri"],
        GpuVendor.Intel => ["/dev/dri"],
        _ => [],
    };

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Size(long bytes) => PreflightText.Size(bytes);
}
