using System.Globalization;

using HomeLab.Conventions;
using HomeLab.Ollama;
using HomeLab.Spec;

namespace HomeLab.Hooks;

internal enum HookStep
{
    Wait,
    Pull,
    Create,
    Remove,
    Warm,
    Verify,
}

/// <summary>
/// What the hooks do for one instance, derived from the stack alone: where to reach it, which credential to present,
/// which models must be there and how. A base URL and a credential are all the runtime needs.
/// </summary>
internal sealed record HookPlan(
    string Stack,
    string Instance,
    Uri BaseUrl,
    HookPath Via,
    CredentialVariable? Credential,
    bool ProxyRequiresAuth,
    IReadOnlyList<ModelSpec> Models,
    bool RemoveUndeclared,
    string? KeepAlive,
    TimeSpan ReadyTimeout,
    int PullConcurrency,
    bool Verify,
    TimeSpan StallTimeout)
{
    /// <summary>How long one model's pull may take in all, retries included.</summary>
    public TimeSpan PullTimeout { get; init; } = HooksSpec.Defaults.PullTimeout;

    /// <summary>Whether the instance has a GPU, so verify must prove its models run on it.</summary>
    public GpuVendor Gpu { get; init; } = GpuVendor.None;

    /// <summary>What usually keeps this instance's models off its GPU, for the message when they are.</summary>
    public string GpuCauses { get; init; } = "";

    /// <summary>The share of each chat model that must be in GPU memory on a GPU instance.</summary>
    public double MinVramShare { get; init; } = HooksSpec.Defaults.MinVramShare;

    /// <summary>
    /// How many runners Ollama keeps loaded at once, when the stack lets us know: tuning maxLoadedModels
    /// (OLLAMA_MAX_LOADED_MODELS), else 3 per GPU (v0.32.15 server/sched.go processPending, defaultModelsPerGPU), 3
    /// without one; null when the instance takes all of a host's GPUs and their number is not in the stack.
    /// </summary>
    public int? ModelSlots { get; init; } = 3;

    /// <summary>The chat front end that talks to this instance, which verify checks too; null when there is none or the hooks go direct.</summary>
    public WebuiPlan? Webui { get; init; }

    /// <summary>The replica (StatefulSet ordinal) every request is pinned to; null when the instance's plan covers it whole.</summary>
    public int? Replica { get; init; }

    /// <summary>What the plan acts on, for people: the instance, or one replica of it.</summary>
    public string Target => TargetOf(Instance, Replica);

    /// <summary>An instance, or one replica of it, as people read it in logs and summaries.</summary>
    public static string TargetOf(string instance, int? replica) => replica is { } ordinal ? $"{instance} (replica {ordinal})" : instance;

    public static readonly IReadOnlyList<HookStep> AllSteps = Enum.GetValues<HookStep>();

    /// <summary>
    /// The plans that bring an instance up to date: one per replica when it runs several and the proxy pins the hooks'
    /// requests (each replica has a model volume of its own, and the instance's Service would send every pull to
    /// whichever replica it picks), else its one plan.
    /// </summary>
    public static IReadOnlyList<HookPlan> PerReplica(StackSpec spec, InstanceSpec instance)
    {
        var plan = For(spec, instance);
        return spec.ProxyPinsInstances && instance.Replicas > 1
            ? Enumerable.Range(0, instance.Replicas).Select(ordinal => plan with { Replica = ordinal }).ToList()
            : [plan];
    }

    public static HookPlan For(StackSpec spec, InstanceSpec instance)
    {
        var proxied = spec.HooksThroughProxy;
        var auth = proxied ? spec.Proxy!.Auth : AuthSpec.None;
        return new HookPlan(
            spec.Name,
            instance.Name,
            UrlFor(spec, instance),
            proxied ? HookPath.Proxy : HookPath.Direct,
            HookCredential.Choose(auth),
            !auth.IsOpen,
            instance.Models,
            instance.RemoveUndeclared,
            instance.Tuning.KeepAlive,
            spec.Hooks.ReadyTimeout,
            spec.Hooks.PullConcurrency,
            spec.Hooks.Verify,
            spec.Hooks.StallTimeout)
        {
            PullTimeout = spec.Hooks.PullTimeout,
            Gpu = instance.Gpu.Vendor,
            GpuCauses = GpuCausesFor(spec, instance),
            MinVramShare = spec.Hooks.MinVramShare,
            Webui = WebuiPlan.For(spec, instance),
            ModelSlots = instance.Tuning.MaxLoadedModels ?? (instance.Gpu.Vendor, instance.Gpu.DeviceIds.Count, instance.Gpu.Count) switch
            {
                (GpuVendor.None, _, _) => 3,
                (_, > 0 and var listed, _) => 3 * listed,
                (_, _, { } counted) => 3 * counted,
                _ => null,
            },
        };
    }

    /// <summary>
    /// The usual reasons a GPU instance runs on CPU, for its kind of host: "Ollama in Docker does not use my GPU" is
    /// the most common complaint of Ollama's users (ollama/ollama#6364, #5166, #3024).
    /// </summary>
    public static string GpuCausesFor(StackSpec spec, InstanceSpec instance)
    {
        var nixos = spec.Host(instance.Host) is NixosHostSpec;
        var devices = instance.Gpu.DeviceIds.Count > 0 ? $"device ids {string.Join(", ", instance.Gpu.DeviceIds)} exist on the host (nvidia-smi -L)" : "the GPU is visible on the host (nvidia-smi)";
        return (instance.Gpu.Vendor, nixos) switch
        {
            (GpuVendor.Nvidia, false) => $"check that the NVIDIA Container Toolkit is installed and Docker's runtime configured (nvidia-ctk runtime configure --runtime=docker, then restart dockerd), that {devices}, and that the driver is loaded and recent enough for the image's CUDA",
            (GpuVendor.Nvidia, true) => $"check that hardware.nvidia is enabled with a driver that loads (nvidia-smi on the host), that {devices}, and that services.ollama uses CUDA acceleration",
            (GpuVendor.Amd, false) => "check that the container gets /dev/kfd and /dev/dri, that the image is the -rocm one, that the host's amdgpu driver is loaded, and that the GPU is one ROCm supports (HSA_OVERRIDE_GFX_VERSION for others)",
            (GpuVendor.Amd, true) => "check that services.ollama uses ROCm acceleration, that /dev/kfd and /dev/dri exist on the host, and that the GPU is one ROCm supports (rocmOverrideGfx for others)",
            (GpuVendor.Intel, _) => "Ollama runs Intel GPUs through Vulkan (discover/runner.go; OLLAMA_VULKAN is on unless set to 0, and OLLAMA_INTEL_GPU is gone since 0.12.11): check that the instance gets /dev/dri, that no env sets OLLAMA_VULKAN=0, and that Ollama's log shows the GPU at start ('inference compute')",
            _ => "check that the GPU is visible inside the instance and that Ollama's log shows it at start ('inference compute')",
        };
    }

    /// <summary>
    /// Through the proxy: its URL, with every request naming the instance in <see cref="HookRouting.InstanceHeader"/>
    /// (a load-balanced route would otherwise send a pull to whichever upstream it picks). Directly: the published
    /// port on the host's address, or the NixOS service port.
    /// </summary>
    public static Uri UrlFor(StackSpec spec, InstanceSpec instance)
    {
        return new Uri((spec.HooksThroughProxy ? spec.Proxy!.Url : Endpoints.Direct(spec.Host(instance.Host).Address, instance.Publish?.Port ?? instance.Port)) + "/");
    }

    /// <summary>The instance the proxy must send every hook request to, or null when the hooks go direct.</summary>
    public string? PinnedInstance => Via is HookPath.Proxy ? Instance : null;

    /// <summary>
    /// Where the client connects and what it sends: through the proxy, every request names the instance in
    /// <see cref="HookRouting.InstanceHeader"/> (a load-balanced route would otherwise send a pull to whichever upstream
    /// it picks), and its replica in <see cref="HookRouting.ReplicaHeader"/> when the plan is one replica's, and carries
    /// the credential.
    /// </summary>
    public OllamaEndpoint Endpoint(HookCredential? credential)
    {
        var headers = new Dictionary<string, string>();
        if (PinnedInstance is { } pinned)
        {
            headers[HookRouting.InstanceHeader] = pinned;
            if (Replica is { } ordinal)
            {
                headers[HookRouting.ReplicaHeader] = ordinal.ToString(CultureInfo.InvariantCulture);
            }
        }

        return new(BaseUrl, headers, credential is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [credential.Header] = credential.HeaderValue });
    }

    /// <summary>Models to pull: the declared plain models and the bases of custom ones that are not themselves declared as custom.</summary>
    public IReadOnlyList<ModelName> PullTargets()
    {
        var custom = Models.Where(m => m.IsCustom).Select(m => m.Name).ToHashSet();
        return Models.Where(m => !m.IsCustom).Select(m => m.Name)
            .Concat(Models.Where(m => m.IsCustom).Select(m => m.From!))
            .Where(name => !custom.Contains(name))
            .Distinct()
            .ToList();
    }

    /// <summary>Custom models, each after any custom model it is built from.</summary>
    public IReadOnlyList<ModelSpec> CreationOrder()
    {
        var custom = Models.Where(m => m.IsCustom).ToDictionary(m => m.Name);
        var ordered = new List<ModelSpec>();
        var placed = new HashSet<ModelName>();
        void Place(ModelSpec model, int depth)
        {
            if (placed.Contains(model.Name) || depth > custom.Count)
            {
                return;
            }

            if (custom.TryGetValue(model.From!, out var parent))
            {
                Place(parent, depth + 1);
            }

            if (placed.Add(model.Name))
            {
                ordered.Add(model);
            }
        }

        foreach (var model in Models.Where(m => m.IsCustom))
        {
            Place(model, 0);
        }

        return ordered;
    }

    /// <summary>
    /// The model whose file <paramref name="name"/> runs: a custom model built on a base keeps the base's model layer,
    /// so following 'from' to a model that is not custom gives the file. Ollama keys its runners by that file
    /// (v0.32.15 server/sched.go schedulerModelKey: ModelPath), so every model with the same root shares one runner.
    /// </summary>
    public ModelName RunnerRoot(ModelName name)
    {
        var custom = Models.Where(m => m.IsCustom).ToDictionary(m => m.Name, m => m.From!);
        for (var hops = 0; hops <= custom.Count && custom.TryGetValue(name, out var from); hops++)
        {
            name = from;
        }

        return name;
    }

    /// <summary>Everything the instance should keep: declared models and the bases they are built from.</summary>
    public IReadOnlySet<ModelName> Kept() =>
        Models.Select(m => m.Name).Concat(Models.Where(m => m.IsCustom).Select(m => m.From!)).ToHashSet();
}
