using HomeLab.Conventions;

namespace HomeLab.Spec.Shape;

/// <summary>
/// Every mapping a stack file may contain, its keys, their types, defaults and descriptions. The loader's
/// unknown-key check (<see cref="StackLoader"/>) and the JSON Schema for editors (<c>homelab schema</c>) both read
/// this one description, so a key added here is accepted by both and a key missing here by neither.
/// Fields are declared leaves first: C# initialises static fields in textual order.
/// </summary>
internal static class SpecShape
{
    private static readonly string Name = Names.Resource().ToString();
    private static readonly string SecretKeyName = Names.SecretKey().ToString();
    private const string Duration = "^([0-9]{1,6}[hms])+$";
    private const string Size = "^[0-9]+(\\.[0-9]+)? ?[KkMmGgTt][Ii][Bb]$";

    private static TextShape Secret(string description) =>
        new(description + " Name of a secret config key (homelab secrets STACK --set-missing sets it), never the secret itself.", SecretKeyName);

    private static IntShape Port(string description) => new(description, 1, 65535);

    public static readonly StackWords<RebuildMode> Rebuilds = new(("switch", RebuildMode.Switch), ("test", RebuildMode.Test), ("boot", RebuildMode.Boot));
    public static readonly StackWords<GpuVendor> GpuVendors = new(("none", GpuVendor.None), ("nvidia", GpuVendor.Nvidia), ("amd", GpuVendor.Amd), ("intel", GpuVendor.Intel));
    public static readonly StackWords<ProcessPriority> Priorities = new(("normal", ProcessPriority.Normal), ("low", ProcessPriority.Low), ("idle", ProcessPriority.Idle));
    public static readonly StackWords<ModelKind> ModelKinds = new(("chat", ModelKind.Chat), ("embedding", ModelKind.Embedding));
    public static readonly StackWords<TlsMode> TlsModes = new(("off", TlsMode.Off), ("internal", TlsMode.Internal), ("acme", TlsMode.Acme), ("false", TlsMode.Off));
    public static readonly StackWords<BalancePolicy> Balances = new(("round_robin", BalancePolicy.RoundRobin), ("least_conn", BalancePolicy.LeastConn), ("first", BalancePolicy.First), ("random", BalancePolicy.Random));
    public static readonly StackWords<HookPath> HookPaths = new(("proxy", HookPath.Proxy), ("direct", HookPath.Direct));
    public static readonly StackWords<SignInMode> SignInModes = new(("proxy", SignInMode.Proxy), ("webui", SignInMode.Webui));
    public static readonly StackWords<ProxyServiceType> ProxyServices = new(("LoadBalancer", ProxyServiceType.LoadBalancer), ("NodePort", ProxyServiceType.NodePort), ("ClusterIP", ProxyServiceType.ClusterIP));

    /// <summary>A DNS-1123 label (namespaces) and subdomain (storage and runtime classes), as Kubernetes validates them.</summary>
    private const string DnsLabel = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
    private const string DnsSubdomain = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>
    /// The extended resources a GPU device plugin advertises: NVIDIA's whole GPUs, its time-slicing rename
    /// (gpu.shared) and MIG profiles (mig-&lt;g&gt;g.&lt;mem&gt;gb, optionally .me); AMD's; Intel's i915 and xe plugins.
    /// </summary>
    public const string GpuResourcePattern = "^(nvidia\\.com/(gpu|gpu\\.shared|mig-[1-7]g\\.[0-9]{1,4}gb(\\.me)?)|amd\\.com/gpu|gpu\\.intel\\.com/(i915|xe))$";

    /// <summary>Kubernetes hosts: the model volume claim of each replica when the stack sets no 'storage: { size }'.</summary>
    public const long ModelClaimBytes = 100L << 30;

    /// <summary>Kubernetes hosts: the front end's data claim (its SQLite database, uploads, caches) when 'webui: storage:' sets no size.</summary>
    public const long WebuiClaimBytes = 5L << 30;

    /// <summary>The resource a GPU vendor's device plugin advertises when the host names none.</summary>
    public static string GpuResourceFor(GpuVendor vendor) => vendor switch
    {
        GpuVendor.Nvidia => "nvidia.com/gpu",
        GpuVendor.Amd => "amd.com/gpu",
        GpuVendor.Intel => "gpu.intel.com/i915",
        _ => throw new ArgumentOutOfRangeException(nameof(vendor), vendor, "no GPU, no GPU resource"),
    };

    /// <summary>The vendor whose device plugin advertises <paramref name="resource"/> (one of <see cref="GpuResourcePattern"/>).</summary>
    public static GpuVendor VendorOf(string resource) =>
        resource.StartsWith("nvidia.com/", StringComparison.Ordinal) ? GpuVendor.Nvidia
        : resource.StartsWith("amd.com/", StringComparison.Ordinal) ? GpuVendor.Amd
        : GpuVendor.Intel;

    public static readonly MapShape Ssh = new("NixOS hosts: how to reach the host over SSH.",
    [
        new("user", new TextShape("SSH user.", Names.UnixUser().ToString()), Default: "root"),
        new("port", Port("SSH port."), Default: 22),
        new("privateKey", Secret("Private key for SSH.")),
        new("hostKey", new TextShape("NixOS hosts (required): the host's SSH public key, e.g. 'ssh-ed25519 AAAA…' from ssh-keyscan -t ed25519 HOST; every connection checks it.", SshHostKey.Pattern)),
    ]);

    public static readonly MapShape Host = new("A machine that runs Ollama instances or the proxy.",
    [
        new("kind", new TextShape("docker: a Docker engine; nixos: a NixOS machine rebuilt over SSH; kubernetes: a cluster such as k3s.", Choices: ["docker", "nixos", "kubernetes"]), Required: true),
        new("engine", new TextShape("Docker hosts: 'local' for this machine's engine, or ssh://user@host[:port] for a remote one.",
            "^(local|ssh://[a-z_][a-z0-9_-]{0,31}@[A-Za-z0-9.-]+(:[0-9]{1,5})?)$"), Default: "local"),
        new("address", new TextShape("DNS name or IPv4 address by which users and hooks reach the host.", Names.HostName().ToString()), Required: true),
        new("ssh", Ssh),
        new("moduleDir", new TextShape("NixOS hosts: where the HomeLab module and its values are copied.", Names.AbsolutePath().ToString()), Default: "/etc/nixos/homelab"),
        new("rebuild", new TextShape("NixOS hosts: the nixos-rebuild action.", Choices: Rebuilds.Words), Default: "switch"),
        new("sudo", new BoolShape("NixOS hosts: run nixos-rebuild with sudo (default: true unless the SSH user is root).")),
        new("kubeconfig", new TextShape("Kubernetes hosts: the kubeconfig file (default: $KUBECONFIG or ~/.kube/config).", "^[A-Za-z0-9._~+@/-]{1,4096}$")),
        new("context", new TextShape("Kubernetes hosts: the kubeconfig context (default: its current context).", "^[A-Za-z0-9._:@/-]{1,253}$")),
        new("namespace", new TextShape("Kubernetes hosts: the namespace everything goes into (default: homelab-<stack>).", DnsLabel)),
        new("storageClass", new TextShape("Kubernetes hosts: the StorageClass of the model volumes (default: the cluster's default class; k3s ships local-path).", DnsSubdomain)),
        new("runtimeClass", new TextShape("Kubernetes hosts: the RuntimeClass NVIDIA pods run with (k3s names the runtime it detects 'nvidia').", DnsSubdomain), Default: "nvidia"),
        new("gpuResource", new TextShape("Kubernetes hosts: the GPU resource pods request (default by vendor: nvidia.com/gpu, amd.com/gpu, gpu.intel.com/i915); MIG or time-slicing names such as nvidia.com/mig-1g.10gb or nvidia.com/gpu.shared.", GpuResourcePattern)),
        new("amdGroups", new ListShape("Kubernetes hosts: the group ids owning /dev/kfd and /dev/dri/renderD* on the AMD nodes (stat -c %g /dev/kfd /dev/dri/renderD128); non-root AMD pods get them as supplemental groups (default: 44 video and 109 render, as on Debian and Ubuntu).",
            new IntShape("A group id.", 0, int.MaxValue))),
        new("proxyService", new TextShape("Kubernetes hosts: how the proxy is exposed — LoadBalancer (k3s ServiceLB, MetalLB), NodePort, or ClusterIP behind your ingress.", Choices: ProxyServices.Words), Default: "LoadBalancer"),
    ]);

    public static readonly MapShape Gpu = new("GPU access.",
    [
        new("vendor", new TextShape("GPU vendor.", Choices: GpuVendors.Words), Required: true),
        new("devices", new OneOfShape("NVIDIA only: 'all', or the device indexes or UUIDs to use.",
        [
            new TextShape("All devices.", Choices: ["all"]),
            new ListShape("Device indexes (0, 1) or UUIDs from nvidia-smi -L.", new TextShape("A device index or UUID.", "^[A-Za-z0-9_-]{1,127}$", AnyScalar: true)),
        ]), Default: "all"),
        new("count", new IntShape("NVIDIA only: use any N GPUs.", 1, 64)),
    ]);

    public static readonly MapShape Resources = new("Limits for the instance.",
    [
        new("memory", new TextShape("Memory limit with a binary unit, e.g. 24GiB.", Size)),
        new("cpus", new NumberShape("CPU limit, e.g. 4 or 2.5.", 0.01, 1024)),
        new("shm", new TextShape("Shared memory size with a binary unit, e.g. 2GiB.", Size)),
        new("priority", new TextShape("NixOS only: CPU and IO priority of Ollama against co-tenants.", Choices: Priorities.Words), Default: "normal"),
    ]);

    public static readonly MapShape Storage = new("Where models are stored (default: a volume named <instance>-models).",
    [
        new("volume", new TextShape("A named Docker volume.", Names.Volume().ToString())),
        new("path", new TextShape("An absolute host path.", Names.AbsolutePath().ToString())),
        new("size", new TextShape("Kubernetes hosts: the size of each replica's model volume claim, e.g. 200GiB.", Size), Default: StackText.Size(ModelClaimBytes)),
    ]);

    /// <summary>
    /// Server variables that the deployed Ollama (v0.32.15, envconfig/config.go) no longer reads, with the release
    /// that dropped them and what to do instead: setting one changes nothing, so the stack refuses it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RemovedOllamaVariables = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["OLLAMA_NEW_ENGINE"] = "Ollama 0.30.0 removed it (GGML models always run on llama-server now); remove it",
        ["OLLAMA_MULTIUSER_CACHE"] = "Ollama 0.30.0 removed it with the old runners; remove it",
        ["OLLAMA_INTEL_GPU"] = "Ollama 0.12.11 removed it (Intel GPUs run through Vulkan, on by default: OLLAMA_VULKAN); remove it",
    };

    public static readonly MapShape Tuning = new("Ollama server settings (OLLAMA_* variables).",
    [
        new("keepAlive", new OneOfShape("How long a model stays loaded after use (OLLAMA_KEEP_ALIVE), e.g. 10m; -1 keeps it forever.",
        [
            new TextShape("A duration such as 30s, 5m, 1h30m.", Duration),
            new TextShape("Forever.", Choices: ["-1"]),
        ])),
        new("numParallel", new IntShape("Parallel requests per model (OLLAMA_NUM_PARALLEL).", 1, 256)),
        new("maxLoadedModels", new IntShape("Models loaded at once (OLLAMA_MAX_LOADED_MODELS).", 1, 64)),
        new("contextLength", new IntShape("Default context length (OLLAMA_CONTEXT_LENGTH); unset, Ollama picks 4k, 32k or 256k by GPU memory.", 256, 1 << 21)),
        new("flashAttention", new BoolShape("Flash attention (OLLAMA_FLASH_ATTENTION).")),
        new("kvCacheType", new TextShape("K/V cache quantisation (OLLAMA_KV_CACHE_TYPE).", Choices: ["f16", "q8_0", "q4_0"])),
        new("maxQueue", new IntShape("Queued requests before Ollama refuses more (OLLAMA_MAX_QUEUE).", 1, 1 << 20)),
    ]);

    public static readonly MapShape Publish = new("Docker hosts: publish Ollama's port on the host (default: not published).",
    [
        new("port", Port("Host port."), Required: true),
        new("bind", new TextShape("IPv4 address to listen on.", Names.IPv4().ToString()), Default: "127.0.0.1"),
        new("unauthenticated", new BoolShape("Acknowledges that whoever reaches a bind address other than 127.0.0.1 uses Ollama without credentials " +
            "(the published port bypasses the proxy); validate, plan and check warn until this is true."), Default: false),
    ]);

    private static readonly TextShape ModelName = new("A model name such as llama3.2:3b or namespace/model:tag.", "^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,349}$");

    public static readonly MapShape Model = new("A model the instance must serve.",
    [
        new("name", ModelName, Required: true),
        new("type", new TextShape("chat or embedding (default: guessed from the name).", Choices: ModelKinds.Words)),
        new("warm", new BoolShape("Load the model after deploy so the first request is fast."), Default: false),
        new("from", ModelName with { Description = "Build a custom model on this base model." }),
        new("system", new TextShape("Custom models: the system prompt.")),
        new("parameters", new DictShape("Custom models: Ollama options such as temperature or num_ctx, in Ollama's types.", $"^({string.Join('|', ModelParameter.OllamaOptions.Words)})$",
            new OneOfShape("A number or true/false; for stop, a string or a list of strings.",
                [new TextShape("Parameter value.", AnyScalar: true), new ListShape("stop: several stop strings.", new TextShape("A stop string.", AnyScalar: true))]))),
    ]);

    public static readonly MapShape Instance = new("An Ollama instance.",
    [
        new("host", new TextShape("The host it runs on (a name under hosts).", Name), Required: true),
        new("image", new TextShape("Docker hosts: the Ollama image pinned to a version (default: the pinned ollama/ollama image, -rocm for AMD).", Names.Image().ToString())),
        new("gpu", new OneOfShape("GPU access: none, nvidia, amd, intel, or a mapping with vendor and devices or count.",
        [
            new TextShape("GPU vendor.", Choices: GpuVendors.Words),
            Gpu,
        ]), Default: "none"),
        new("resources", Resources),
        new("storage", Storage),
        new("tuning", Tuning),
        new("env", new DictShape("Extra environment variables for Ollama (not the ones it no longer reads: " + string.Join(", ", RemovedOllamaVariables.Keys) + ").",
            $"^(?!({string.Join('|', RemovedOllamaVariables.Keys)})$){Names.EnvironmentKey().ToString()[1..]}", new TextShape("Value.", AnyScalar: true))),
        new("publish", Publish),
        new("models", new ListShape("Models the instance must serve; the post-deploy hooks pull them.", new OneOfShape("A model name, or a mapping for options and custom models.",
        [
            ModelName,
            Model,
        ]))),
        new("removeUndeclared", new BoolShape("Remove models that are not declared here."), Default: false),
        new("cloud", new BoolShape("Allow Ollama cloud models (name:cloud, name:tag-cloud), which ollama.com runs: prompts leave the instance. Off by default: the instance gets OLLAMA_NO_CLOUD=1."), Default: false),
        new("port", Port("Port Ollama listens on (NixOS hosts; inside the container on Docker)."), Default: Endpoints.OllamaPort),
        new("replicas", new IntShape("Kubernetes hosts: how many pods serve the instance, each with its own model volume.", 1, 16), Default: 1),
        new("nodeSelector", new DictShape("Kubernetes hosts: node labels a pod's node must carry, e.g. gpu: nvidia.", Names.LabelKey().ToString(), new TextShape("Label value.", Names.LabelValue().ToString(), AnyScalar: true))),
    ]);

    public static readonly MapShape Ports = new("Ports the proxy listens on.",
    [
        new("http", Port("HTTP port."), Default: 80),
        new("https", Port("HTTPS port."), Default: 443),
    ]);

    public static readonly MapShape ApiKeys = new("API keys accepted in a header.",
    [
        new("header", new TextShape("Header that carries the key.", Names.HeaderName().ToString()), Default: "X-API-Key"),
        new("keys", new ListShape("Accepted keys.", Secret("An API key.")), Required: true),
    ]);

    public static readonly MapShape BasicAuthUser = new("A basic-auth user.",
    [
        new("user", new TextShape("User name.", Names.BasicAuthUser().ToString()), Required: true),
        new("passwordHash", Secret("Holds the user's bcrypt hash (homelab hash-password)."), Required: true),
    ]);

    public static readonly MapShape Auth = new("Credentials the proxy accepts (default: none, the proxy is open).",
    [
        new("bearerTokens", new ListShape("Accepted bearer tokens (Authorization: Bearer ...).", Secret("A bearer token."))),
        new("apiKeys", ApiKeys),
        new("basicAuth", new ListShape("Basic-auth users, asked for when a request carries no token or key.", BasicAuthUser)),
    ]);

    public static readonly MapShape Route = new("A path prefix and the instances that serve it.",
    [
        new("prefix", new TextShape("'/' or one path segment such as /coder.", Names.RoutePrefix().ToString()), Default: "/"),
        new("to", new OneOfShape("The instance, or instances to balance across.",
        [
            new TextShape("An instance name.", Name),
            new ListShape("Instance names.", new TextShape("An instance name.", Name)),
        ]), Required: true),
        new("balance", new TextShape("Load-balancing policy.", Choices: Balances.Words), Default: "least_conn"),
    ]);

    public static readonly MapShape Proxy = new("The Caddy reverse proxy in front of the instances.",
    [
        new("host", new TextShape("The host it runs on (a name under hosts).", Name), Required: true),
        new("image", new TextShape("The Caddy image pinned to a version (default: the pinned caddy image).", Names.Image().ToString())),
        new("domain", new TextShape("The name clients use.", Names.HostName().ToString()), Default: "localhost"),
        new("tls", new TextShape("off, internal (Caddy's own CA, for a LAN) or acme (public certificates).", Choices: TlsModes.Words), Default: "internal"),
        new("acmeEmail", new TextShape("Contact address for ACME.", "^[A-Za-z0-9._@-]{1,64}@[A-Za-z0-9.-]+$")),
        new("ports", Ports),
        new("bind", new TextShape("IPv4 address to listen on.", Names.IPv4().ToString()), Default: "0.0.0.0"),
        new("auth", Auth),
        new("routes", new ListShape("Routes, longest prefix first.", Route), Required: true),
    ]);

    public static readonly MapShape Hooks = new("Post-deploy hooks: wait for Ollama, pull and warm the declared models, verify.",
    [
        new("enabled", new BoolShape("Run the hooks after deploy."), Default: HooksSpec.Defaults.Enabled),
        new("via", new TextShape("Reach the instances through the proxy or directly (default: proxy when there is one).", Choices: HookPaths.Words)),
        new("readyTimeout", new TextShape("How long to wait for Ollama to answer, e.g. 5m.", Duration), Default: StackText.Duration(HooksSpec.Defaults.ReadyTimeout)),
        new("pullConcurrency", new IntShape("Models pulled at once.", 1, 16), Default: HooksSpec.Defaults.PullConcurrency),
        new("verify", new BoolShape("Check every model answers after deploy."), Default: HooksSpec.Defaults.Verify),
        new("stallTimeout", new TextShape("How long a model pull may move no bytes before it is retried, e.g. 2m.", Duration), Default: StackText.Duration(HooksSpec.Defaults.StallTimeout)),
        new("pullTimeout", new TextShape("How long one model's pull may take in all, retries included, e.g. 2h.", Duration), Default: StackText.Duration(HooksSpec.Defaults.PullTimeout)),
        new("minVramShare", new NumberShape("On an instance with a GPU: the share of each chat model that must sit in GPU memory, 0.1 to 1.", 0.1, 1), Default: HooksSpec.Defaults.MinVramShare),
    ]);

    public static readonly MapShape WebuiStorage = new("Where the front end keeps its data (Docker hosts default: a volume named <stack>-webui-data; Kubernetes hosts: a volume claim).",
    [
        new("volume", new TextShape("Docker hosts: a named Docker volume.", Names.Volume().ToString())),
        new("path", new TextShape("Docker hosts: an absolute host path.", Names.AbsolutePath().ToString())),
        new("size", new TextShape("Kubernetes hosts: the size of the front end's data claim, e.g. 10GiB.", Size), Default: StackText.Size(WebuiClaimBytes)),
    ]);

    public static readonly MapShape Webui = new("The chat front end (Open WebUI) for the household, behind the proxy under its own name.",
    [
        new("host", new TextShape("The host it runs on; the proxy's host, so only the proxy reaches it.", Name), Required: true),
        new("domain", new TextShape("The name people open in a browser, e.g. chat.home.arpa; not the proxy's (Ollama's) domain.", Names.HostName().ToString()), Required: true),
        new("instances", new ListShape("The Ollama instances it talks to (default: every instance on its host).", new TextShape("An instance name.", Name))),
        new("image", new TextShape("Docker and Kubernetes hosts: the Open WebUI image pinned to a version (default: the pinned ghcr.io/open-webui/open-webui image).", Names.Image().ToString())),
        new("storage", WebuiStorage),
        new("signIn", new TextShape("proxy: the proxy's basic-auth users sign in once and the proxy vouches for them; webui: Open WebUI's own accounts.", Choices: SignInModes.Words), Default: "proxy"),
        new("secretKey", Secret("Signs Open WebUI's sessions (WEBUI_SECRET_KEY); homelab secrets --set-missing generates it."), Default: "webuiSecretKey"),
        new("adminEmail", new TextShape("signIn: webui — the first admin's e-mail address.", "^[A-Za-z0-9._@-]{1,64}@[A-Za-z0-9.-]+$")),
        new("adminPassword", Secret("signIn: webui — the first admin's password (the hooks sign in with it).")),
        new("openaiApi", new BoolShape("Let Open WebUI use OpenAI-compatible APIs besides Ollama (ENABLE_OPENAI_API)."), Default: false),
    ]);

    public static readonly MapShape Top = new("A HomeLab stack: Ollama instances on Docker, NixOS or Kubernetes hosts, the proxy in front, and the models they serve.",
    [
        new("hosts", new DictShape("Machines, by name.", Name, Host), Required: true),
        new("instances", new DictShape("Ollama instances, by name.", Name, Instance), Required: true),
        new("proxy", Proxy),
        new("hooks", Hooks),
        new("webui", Webui),
    ]);
}
