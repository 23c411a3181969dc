using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Spec;

namespace HomeLab.Modules.Docker;

/// <summary>An Ollama instance as a Docker container: image, model storage, GPU, limits, tuning, healthcheck.</summary>
internal static class DockerOllama
{
    public const string ModelsPath = "/root/.ollama";

    public static Resource Add(ProgramBuilder program, StackSpec spec, InstanceSpec instance, DockerSite site)
    {
        var image = DockerHosts.Image(program, OllamaImage.For(instance), site);
        var storage = SupervisedContainer.Storage(program, spec, instance.Storage, $"{instance.Name}-models", (ResourceLabels.Instance, instance.Name), ModelsPath, site);

        var networks = new List<Value>
        {
            new MapValue(("name", site.InternalNetwork.Output("name")), ("aliases", new ListValue(instance.Name))),
            new MapValue(("name", site.EgressNetwork.Output("name"))),
        };

        return program.Add($"{instance.Name}-container", "docker:Container", new MapValue(
        [
            ("name", ResourceNames.InstanceContainer(spec.Name, instance.Name)),
            ("image", image.Output("imageId")),
            ("restart", "unless-stopped"),
            ("envs", Environment(instance)),
            ("networksAdvanced", new ListValue(networks)),
            ("volumes", new ListValue(storage)),
            ("ports", instance.Publish is { } publish
                ? new ListValue(new MapValue(("internal", Endpoints.OllamaPort), ("external", publish.Port), ("ip", publish.Bind), ("protocol", "tcp")))
                : null),
            ("memory", Megabytes(instance.Resources.MemoryBytes)),
            // Equal to memory: a model that spills into swap is slower than one that fails to load.
            ("memorySwap", Megabytes(instance.Resources.MemoryBytes)),
            // In the form the provider reads back ("4.0", "10."): any other spelling replaces the container on every run.
            ("cpus", Value.Maybe(instance.Resources.Cpus is { } cpus
                ? ProviderBehaviour.Cpus(cpus) ?? throw new InvalidOperationException($"cpus {cpus} passed validation but the Docker provider cannot keep it")
                : null)),
            ("shmSize", Megabytes(instance.Resources.SharedMemoryBytes)),
            ("deviceRequests", NvidiaRequest(instance.Gpu)),
            ("devices", instance.Gpu.Vendor is GpuVendor.Amd or GpuVendor.Intel ? GpuDevices(instance.Gpu.Vendor) : null),
            .. SupervisedContainer.Supervision(Healthcheck),
            ("labels", DockerHosts.Labels(spec.Name, (ResourceLabels.Instance, instance.Name), (ResourceLabels.Healthcheck, HealthcheckDigest))),
        ]),
            site.Options());
    }

    /// <summary>The image ships no curl; 'ollama list' asks the server over its API.</summary>
    private static readonly MapValue Healthcheck = SupervisedContainer.Healthcheck(new ListValue("CMD", "ollama", "list"), TimeSpan.FromSeconds(60));

    /// <summary>The label that replaces the container when its healthcheck changes (<see cref="SupervisedContainer.HealthcheckDigest"/>).</summary>
    public static string HealthcheckDigest { get; } = SupervisedContainer.HealthcheckDigest(Healthcheck);

    /// <summary>
    /// One entry per variable (<see cref="OllamaEnvironment"/>), the explicit ones sorted. The provider keeps 'envs' as
    /// a set, so two entries for one variable would reach Docker in hash order and either could win.
    /// </summary>
    private static ListValue Environment(InstanceSpec instance)
    {
        var variables = OllamaEnvironment.Of(instance, KeyValuePair.Create("OLLAMA_HOST", $"{Endpoints.AllInterfaces}:{Endpoints.OllamaPort}"));
        var keys = new string[variables.Explicit.Count];
        var explicitEnv = new string[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var (key, value) = variables.Explicit[i];
            keys[i] = key;
            explicitEnv[i] = $"{key}={value}";
        }

        Array.Sort(keys, explicitEnv, StringComparer.Ordinal);
        var env = new List<Value>();
        foreach (var (key, value) in variables.Inherited)
        {
            env.Add($"{key}={value}");
        }

        foreach (var entry in explicitEnv)
        {
            env.Add(entry);
        }

        return new ListValue(env);
    }

    private static Value? Megabytes(long? bytes) => bytes is { } b ? ProviderBehaviour.Megabytes(b) : null;

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
