using System.Globalization;

using HomeLab.Program;
using HomeLab.Spec;

namespace HomeLab.Modules;

/// <summary>An Ollama instance as a Docker container: image, model storage, GPU, limits, tuning, healthcheck.</summary>
internal static class DockerOllama
{
    public const int ContainerPort = 11434;
    public const string ModelsPath = "/root/.ollama";

    public static Resource Add(ProgramBuilder program, StackSpec spec, InstanceSpec instance, DockerSite site)
    {
        var image = DockerHosts.Image(program, ImageFor(instance), site);
        Value storage;
        if (instance.Storage.Volume is { } volumeName)
        {
            var volume = program.Add($"{instance.Name}-models", "docker:Volume", new MapValue(
                ("name", volumeName),
                ("labels", DockerHosts.Labels(spec.Name, ("homelab.instance", instance.Name)))), site.Options());
            storage = new MapValue(("volumeName", volume.Output("name")), ("containerPath", ModelsPath));
        }
        else
        {
            storage = new MapValue(("hostPath", instance.Storage.Path!), ("containerPath", ModelsPath));
        }

        var networks = new List<Value>
        {
            new MapValue(("name", site.InternalNetwork.Output("name")), ("aliases", new ListValue(instance.Name))),
            new MapValue(("name", site.EgressNetwork.Output("name"))),
        };

        return program.Add($"{instance.Name}-container", "docker:Container", new MapValue(
            // The stack in the name: two stacks may share an engine, and instance names never contain "_".
            ("name", $"homelab-{spec.Name}_{instance.Name}"),
            ("image", image.Output("imageId")),
            ("restart", "unless-stopped"),
            ("envs", Environment(instance)),
            ("networksAdvanced", new ListValue(networks)),
            ("volumes", new ListValue(storage)),
            ("ports", instance.Publish is { } publish
                ? new ListValue(new MapValue(("internal", ContainerPort), ("external", publish.Port), ("ip", publish.Bind), ("protocol", "tcp")))
                : null),
            ("memory", Megabytes(instance.Resources.MemoryBytes)),
            // Equal to memory: a model that spills into swap is slower than one that fails to load.
            ("memorySwap", Megabytes(instance.Resources.MemoryBytes)),
            ("cpus", Value.Maybe(instance.Resources.Cpus?.ToString(CultureInfo.InvariantCulture))),
            ("shmSize", Megabytes(instance.Resources.SharedMemoryBytes)),
            ("deviceRequests", NvidiaRequest(instance.Gpu)),
            ("devices", instance.Gpu.Vendor is GpuVendor.Amd or GpuVendor.Intel ? GpuDevices(instance.Gpu.Vendor) : null),
            ("healthcheck", new MapValue(
                // The image ships no curl; 'ollama list' asks the server over its API.
                ("tests", new ListValue("CMD", "ollama", "list")),
                ("interval", "30s"),
                ("timeout", "10s"),
                ("startPeriod", "60s"),
                ("retries", 3))),
            ("wait", true),
            ("waitTimeout", 300),
            ("logDriver", "json-file"),
            ("logOpts", DockerHosts.LogRotation()),
            ("securityOpts", new ListValue("no-new-privileges:true")),
            ("labels", DockerHosts.Labels(spec.Name, ("homelab.instance", instance.Name)))),
            site.Options());
    }

    public static string ImageFor(InstanceSpec instance) =>
        instance.Image ?? (instance.Gpu.Vendor is GpuVendor.Amd ? Pins.OllamaRocmImage : Pins.OllamaImage);

    private static ListValue Environment(InstanceSpec instance)
    {
        var env = new List<Value> { $"OLLAMA_HOST=0.0.0.0:{ContainerPort}" };
        env.AddRange(instance.Tuning.ToEnvironment().Select(e => (Value)$"{e.Key}={e.Value}"));
        env.AddRange(instance.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (Value)$"{e.Key}={e.Value}"));
        return new ListValue(env);
    }

    private static Value? Megabytes(long? bytes) => bytes is { } b ? (long)Math.Ceiling(b / (double)(1 << 20)) : null;

    private static ListValue? NvidiaRequest(GpuSpec gpu)
    {
        if (gpu.Vendor is not GpuVendor.Nvidia)
        {
            return null;
        }

        var request = new MapValue(
            ("driver", "nvidia"),
            ("count", gpu.AllDevices ? -1 : gpu.Count),
            ("deviceIds", gpu.DeviceIds.Count > 0 ? new ListValue(gpu.DeviceIds.Select(d => (Value)d).ToList()) : null),
            ("capabilities", new ListValue("gpu")));
        return new ListValue(request);
    }

    private static ListValue GpuDevices(GpuVendor vendor)
    {
        var dri = new MapValue(("hostPath", "/dev/dri"), ("containerPath", "/dev/dri"), ("permissions", "rwm"));
        return vendor is GpuVendor.Amd
            ? new ListValue(new MapValue(("hostPath", "/dev/kfd"), ("containerPath", "/dev/kfd"), ("permissions", "rwm")), dri)
            : new ListValue(dri);
    }
}
