using System.Runtime.CompilerServices;

namespace HomeLab.Spec;

/// <summary>A validated stack file: what should run where. Every named element remembers where it was written.</summary>
internal sealed record StackSpec(
    string Name,
    string File,
    IReadOnlyList<HostSpec> Hosts,
    IReadOnlyList<InstanceSpec> Instances,
    ProxySpec? Proxy,
    HooksSpec Hooks)
{
    // Indexes built once per list (not stored in the record, so equality and 'with' copies are unaffected):
    // modules look hosts and instances up once per instance, which a linear search made quadratic.
    private static readonly ConditionalWeakTable<IReadOnlyList<HostSpec>, Dictionary<string, HostSpec>> HostIndex = [];
    private static readonly ConditionalWeakTable<IReadOnlyList<InstanceSpec>, ILookup<string, InstanceSpec>> InstancesByHost = [];

    public HostSpec Host(string name) =>
        HostIndex.GetValue(Hosts, hosts => hosts.ToDictionary(h => h.Name, StringComparer.Ordinal)).TryGetValue(name, out var host)
            ? host
            : throw new InvalidOperationException($"stack '{Name}' declares no host '{name}'");

    public IEnumerable<InstanceSpec> InstancesOn(HostSpec host) =>
        InstancesByHost.GetValue(Instances, instances => instances.ToLookup(i => i.Host, StringComparer.Ordinal))[host.Name];

    /// <summary>Every secret config key the stack names, sorted, so the program declares each once.</summary>
    public IReadOnlyList<string> SecretKeys() =>
        Hosts.OfType<NixosHostSpec>().Select(h => h.Ssh.PrivateKeySecret)
            .Concat(Proxy?.Auth.SecretKeys() ?? [])
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
}

internal abstract record HostSpec(string Name, string Address, SourceMark At);

/// <summary>A Docker engine: the local one (<see cref="Ssh"/> null) or a remote one reached over SSH.</summary>
internal sealed record DockerHostSpec(string Name, string Address, SshEndpoint? Ssh, SourceMark At) : HostSpec(Name, Address, At)
{
    public bool IsLocal => Ssh is null;
}

internal sealed record SshEndpoint(string User, string Host, int Port)
{
    public string DockerHost => Port == 22 ? $"ssh://{User}@{Host}" : $"ssh://{User}@{Host}:{Port}";
}

internal enum RebuildMode
{
    Switch,
    Test,
    Boot,
}

/// <summary>How the deploy logs in to a NixOS host; <see cref="HostKey"/> is null only in a spec that failed validation.</summary>
internal sealed record NixosSsh(string User, int Port, string? PrivateKeySecret, SshHostKey? HostKey);

/// <summary>A NixOS machine rebuilt over SSH from the HomeLab module and the values the compiler writes.</summary>
internal sealed record NixosHostSpec(
    string Name,
    string Address,
    NixosSsh Ssh,
    string ModuleDir,
    RebuildMode Rebuild,
    bool Sudo,
    SourceMark At) : HostSpec(Name, Address, At);

internal enum GpuVendor
{
    None,
    Nvidia,
    Amd,
    Intel,
}

/// <summary>GPU access. For NVIDIA either all devices, specific device ids, or a count.</summary>
internal sealed record GpuSpec(GpuVendor Vendor, IReadOnlyList<string> DeviceIds, int? Count)
{
    public static readonly GpuSpec None = new(GpuVendor.None, [], null);

    public bool AllDevices => DeviceIds.Count == 0 && Count is null;
}

/// <summary>How a service yields to its co-tenants for CPU time and disk I/O (NixOS hosts, as systemd settings).</summary>
internal enum ProcessPriority
{
    Normal,
    Low,
    Idle,
}

/// <summary>Limits for an instance. <see cref="Priority"/> is null when the stack does not set it.</summary>
internal sealed record ResourceSpec(long? MemoryBytes, double? Cpus, long? SharedMemoryBytes, ProcessPriority? Priority = null)
{
    public static readonly ResourceSpec Unlimited = new(null, null, null);
}

/// <summary>Where models live: a named Docker volume or a host path.</summary>
internal sealed record StorageSpec(string? Volume, string? Path);

/// <summary>Ollama server settings that map to its OLLAMA_* variables.</summary>
internal sealed record TuningSpec(
    string? KeepAlive,
    int? NumParallel,
    int? MaxLoadedModels,
    int? ContextLength,
    bool? FlashAttention,
    string? KvCacheType,
    int? MaxQueue)
{
    public static readonly TuningSpec Defaults = new(null, null, null, null, null, null, null);

    /// <summary>The environment variables Ollama reads, in a stable order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToEnvironment()
    {
        var env = new List<KeyValuePair<string, string>>();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                env.Add(new(key, value));
            }
        }

        Add("OLLAMA_KEEP_ALIVE", KeepAlive);
        Add("OLLAMA_NUM_PARALLEL", NumParallel?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("OLLAMA_MAX_LOADED_MODELS", MaxLoadedModels?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("OLLAMA_CONTEXT_LENGTH", ContextLength?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("OLLAMA_FLASH_ATTENTION", FlashAttention switch { true => "1", false => "0", null => null });
        Add("OLLAMA_KV_CACHE_TYPE", KvCacheType);
        Add("OLLAMA_MAX_QUEUE", MaxQueue?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return env;
    }
}

internal sealed record PublishSpec(int Port, string Bind);

internal enum ModelKind
{
    Chat,
    Embedding,
}

/// <summary>A model an instance must serve: pulled by name, or created from a base (<see cref="From"/>).</summary>
internal sealed record ModelSpec(
    ModelName Name,
    ModelKind Kind,
    bool Warm,
    ModelName? From,
    string? System,
    IReadOnlyList<ModelParameter> Parameters,
    SourceMark At)
{
    public bool IsCustom => From is not null;
}

internal sealed record InstanceSpec(
    string Name,
    string Host,
    string? Image,
    GpuSpec Gpu,
    ResourceSpec Resources,
    StorageSpec Storage,
    TuningSpec Tuning,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    PublishSpec? Publish,
    IReadOnlyList<ModelSpec> Models,
    bool RemoveUndeclared,
    int Port,
    SourceMark At);

internal enum TlsMode
{
    Off,
    Internal,
    Acme,
}

internal enum BalancePolicy
{
    RoundRobin,
    LeastConn,
    First,
    Random,
}

internal sealed record BasicAuthUser(string User, string PasswordHashSecret);

internal sealed record ApiKeyAuth(string Header, IReadOnlyList<string> KeySecrets);

/// <summary>Credentials accepted by the proxy. Every entry is the name of a Pulumi secret config key, never a value.</summary>
internal sealed record AuthSpec(IReadOnlyList<string> BearerTokenSecrets, ApiKeyAuth? ApiKeys, IReadOnlyList<BasicAuthUser> BasicAuth)
{
    public static readonly AuthSpec None = new([], null, []);

    public bool IsOpen => BearerTokenSecrets.Count == 0 && ApiKeys is null && BasicAuth.Count == 0;

    public IEnumerable<string> SecretKeys() =>
        BearerTokenSecrets.Concat(ApiKeys?.KeySecrets ?? []).Concat(BasicAuth.Select(u => u.PasswordHashSecret));
}

internal sealed record RouteSpec(string Prefix, IReadOnlyList<string> Instances, BalancePolicy Balance, SourceMark At);

internal sealed record ProxySpec(
    string Host,
    string? Image,
    string Domain,
    TlsMode Tls,
    string? AcmeEmail,
    int HttpPort,
    int HttpsPort,
    string Bind,
    AuthSpec Auth,
    IReadOnlyList<RouteSpec> Routes,
    SourceMark At);

internal enum HookPath
{
    Proxy,
    Direct,
}

/// <summary>How the post-deploy hooks reach and treat the instances.</summary>
internal sealed record HooksSpec(bool Enabled, HookPath Via, TimeSpan ReadyTimeout, int PullConcurrency, bool Verify)
{
    public static readonly HooksSpec Defaults = new(true, HookPath.Proxy, TimeSpan.FromMinutes(5), 2, true);

    /// <summary>A pull or create stream that sends nothing for this long is abandoned and retried.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one model's pull may take in all, retries included.</summary>
    public TimeSpan PullTimeout { get; init; } = TimeSpan.FromHours(6);

    /// <summary>On an instance with a GPU, the share of each chat model that must be in GPU memory once loaded.</summary>
    public double MinVramShare { get; init; } = 1;
}
