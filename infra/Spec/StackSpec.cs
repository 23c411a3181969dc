using System.Runtime.CompilerServices;

using HomeLab.Conventions;

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
    /// <summary>The chat front end, when the stack has one ('webui:').</summary>
    public WebuiSpec? Webui { get; init; }

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

    /// <summary>The instances the front end talks to, in its order (WebuiChecks has made sure each is declared).</summary>
    public IReadOnlyList<InstanceSpec> InstancesOf(WebuiSpec webui) =>
        [.. webui.Instances.Select(name => Instances.First(i => i.Name == name))];

    /// <summary>The hosts the stack deploys to: each that runs an instance or the proxy, in the order of the stack file.</summary>
    public IEnumerable<HostSpec> UsedHosts() => Hosts.Where(h => InstancesOn(h).Any() || Proxy?.Host == h.Name);

    /// <summary>Where an instance answers inside its host's private network (loopback on NixOS, its Service on Kubernetes).</summary>
    public string InternalUrl(InstanceSpec instance) => Host(instance.Host) switch
    {
        NixosHostSpec => Endpoints.LoopbackUrl(instance.Port),
        KubernetesHostSpec => KubernetesNames.Url(instance.Name),
        _ => Endpoints.ContainerUrl(instance.Name),
    };

    /// <summary>The hooks reach Ollama through the proxy (and so pin each request to its instance).</summary>
    public bool HooksThroughProxy => Hooks.Via is HookPath.Proxy && Proxy is not null;

    /// <summary>The proxy must route the hooks' instance header (<c>HookRouting.InstanceHeader</c>): hooks run, and they run through it.</summary>
    public bool ProxyPinsInstances => Hooks.Enabled && HooksThroughProxy;

    /// <summary>Every secret config key the stack names, sorted, so the program declares each once.</summary>
    public IReadOnlyList<string> SecretKeys() =>
        Hosts.OfType<NixosHostSpec>().Select(h => h.Ssh.PrivateKeySecret)
            .Concat(Proxy?.Auth.SecretKeys() ?? [])
            .Concat(Webui?.SecretKeys() ?? [])
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
}
