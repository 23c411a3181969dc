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
        var image = DockerHosts.Image(program, ImageFor(instance), site);
        Value storage;
        if (instance.Storage.Volume is { } volumeName)
        {
            var volume = program.Add($"{instance.Name}-models", "docker:Volume", new MapValue(
                ("name", volumeName),
                ("labels", DockerHosts.Labels(spec.Name, (ResourceLabels.Instance, instance.Name)))), site.Options());
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
            ("healthcheck", Healthcheck),
            ("wait", true),
            ("waitTimeout", 300),
            ("logDriver", "json-file"),
            ("logOpts", DockerHosts.LogRotation()),
            ("securityOpts", new ListValue("no-new-privileges:true")),
            // The provider neither replaces the container on a healthcheck change nor updates it in place, so a
            // digest of the healthcheck rides in a label, and labels force replacement.
            ("labels", DockerHosts.Labels(spec.Name, (ResourceLabels.Instance, instance.Name), (ResourceLabels.Healthcheck, HealthcheckDigest)))),
            site.Options());
    }

    /// <summary>The image ships no curl; 'ollama list' asks the server over its API. Durations in Go's own form.</summary>
    private static readonly MapValue Healthcheck = new(
        ("tests", new ListValue("CMD", "ollama", "list")),
        ("interval", ProviderBehaviour.GoDuration(TimeSpan.FromSeconds(30))),
        ("timeout", ProviderBehaviour.GoDuration(TimeSpan.FromSeconds(10))),
        ("startPeriod", ProviderBehaviour.GoDuration(TimeSpan.FromSeconds(60))),
        ("retries", 3));

    /// <summary>Changes exactly when the healthcheck does; short, since it is read by people in 'docker inspect'.</summary>
    public static string HealthcheckDigest { get; } = ContentDigest.Short(ProgramEmitter.EmitValue(Healthcheck), 16);

    public static string ImageFor(InstanceSpec instance) =>
        instance.Image ?? (instance.Gpu.Vendor is GpuVendor.Amd ? Pins.OllamaRocmImage : Pins.OllamaImage);

    /// <summary>
    /// One entry per variable, an explicit 'env:' entry winning over the same variable from 'tuning:'. The provider
    /// keeps 'envs' as a set, so two entries for one variable would reach Docker in hash order and either could win.
    /// </summary>
    private static ListValue Environment(InstanceSpec instance)
    {
        // Loops, not LINQ over key/value pairs: that is code ReadyToRun cannot precompile, JIT-compiled on every
        // start of the compiler hook.
        var overridden = new string[instance.Environment.Count];
        var explicitEnv = new string[overridden.Length];
        for (var i = 0; i < overridden.Length; i++)
        {
            var (key, value) = instance.Environment[i];
            overridden[i] = key;
            explicitEnv[i] = $"{key}={value}";
        }

        Array.Sort(overridden, explicitEnv, StringComparer.Ordinal);
        var env = new List<Value>();
        void AddUnlessOverridden(string key, string value)
        {
            if (Array.IndexOf(overridden, key) < 0)
            {
                env.Add($"{key}={value}");
            }
        }

        AddUnlessOverridden("OLLAMA_HOST", $"{Endpoints.AllInterfaces}:{Endpoints.OllamaPort}");
        foreach (var (key, value) in instance.Tuning.ToEnvironment())
        {
            AddUnlessOverridden(key, value);
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
