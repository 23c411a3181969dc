using HomeLab.Spec;

namespace HomeLab.Conventions;

/// <summary>Where Ollama listens and how the proxy and the hooks reach an instance.</summary>
internal static class Endpoints
{
    /// <summary>Ollama's own port (envconfig.Host in ollama/ollama): inside a container, and the default on NixOS.</summary>
    public const int OllamaPort = 11434;

    /// <summary>Loopback: a NixOS host's Ollama listens here only, for the proxy and the host itself.</summary>
    public const string Loopback = "127.0.0.1";

    /// <summary>Every interface, as inside a container whose ports Docker publishes.</summary>
    public const string AllInterfaces = "0.0.0.0";

    /// <summary>An instance container by its network alias (its name) on its host's internal network, as host:port.</summary>
    public static string ContainerUpstream(string instance) => $"{instance}:{OllamaPort}";

    /// <summary>An instance on its NixOS host's loopback, as host:port.</summary>
    public static string LoopbackUpstream(int port) => $"{Loopback}:{port}";

    /// <summary>Where the instance answers inside its host's private network (or on loopback for NixOS).</summary>
    public static string Internal(StackSpec spec, InstanceSpec instance) => spec.Host(instance.Host) switch
    {
        NixosHostSpec => $"http://{LoopbackUpstream(instance.Port)}",
        KubernetesHostSpec => $"http://{KubernetesNames.Upstream(instance.Name)}",
        _ => $"http://{ContainerUpstream(instance.Name)}",
    };

    /// <summary>Where a client outside the host reaches an instance itself: its published port, or the NixOS service port.</summary>
    public static string Direct(StackSpec spec, InstanceSpec instance) =>
        $"http://{spec.Host(instance.Host).Address}:{instance.Publish?.Port ?? instance.Port}";

    /// <summary>The proxy's URL as clients use it (no port when it is the scheme's default).</summary>
    public static string ProxyUrl(ProxySpec proxy) => proxy.Tls is TlsMode.Off
        ? $"http://{proxy.Domain}:{proxy.HttpPort}"
        : proxy.HttpsPort == 443 ? $"https://{proxy.Domain}" : $"https://{proxy.Domain}:{proxy.HttpsPort}";
}
