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

    /// <summary>Where an instance container answers inside its host's private network.</summary>
    public static string ContainerUrl(string instance) => $"http://{ContainerUpstream(instance)}";

    /// <summary>Where an instance on a NixOS host answers: that host's loopback.</summary>
    public static string LoopbackUrl(int port) => $"http://{LoopbackUpstream(port)}";

    /// <summary>Where a client outside the host reaches an instance itself: the host's address and the port it listens on there.</summary>
    public static string Direct(string address, int port) => $"http://{address}:{port}";

    /// <summary>The proxy's URL as clients use it (no port when it is the scheme's default).</summary>
    public static string ProxyUrl(bool tls, string domain, int httpPort, int httpsPort) => !tls
        ? $"http://{domain}:{httpPort}"
        : httpsPort == 443 ? $"https://{domain}" : $"https://{domain}:{httpsPort}";
}
