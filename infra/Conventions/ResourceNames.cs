namespace HomeLab.Conventions;

/// <summary>
/// The names HomeLab gives what it creates on a Docker engine. Two stacks may share an engine, so every
/// engine-wide name carries the stack; instance names never contain '_', so an instance container
/// (<c>homelab-STACK_INSTANCE</c>) can never collide with the proxy or a network (<c>homelab-STACK-…</c>).
/// </summary>
internal static class ResourceNames
{
    public static string InstanceContainer(string stack, string instance) => $"homelab-{stack}_{instance}";

    public static string ProxyContainer(string stack) => $"homelab-{stack}-proxy";

    /// <summary>Ollama and the proxy talk here; the network has no route out.</summary>
    public static string InternalNetwork(string stack) => $"homelab-{stack}-internal";

    /// <summary>Outbound only: lets Ollama pull models from its registry.</summary>
    public static string EgressNetwork(string stack) => $"homelab-{stack}-egress";

    /// <summary>Where the proxy publishes its ports.</summary>
    public static string EdgeNetwork(string stack) => $"homelab-{stack}-edge";

    /// <summary>The default model volume of an instance (engine-wide name, as written in the stack's 'storage').</summary>
    public static string ModelsVolume(string instance) => $"{instance}-models";

    /// <summary>The chat front end's container; like the proxy's, it has no '_', so no instance container can take it.</summary>
    public static string WebuiContainer(string stack) => $"homelab-{stack}-webui";

    /// <summary>The one-shot container that gives the front end's data to its unprivileged user before the front end starts.</summary>
    public static string WebuiDataOwnerContainer(string stack) => $"homelab-{stack}-webui-data-owner";

    /// <summary>The chat front end's data (accounts, chats, uploads) unless the stack names a volume or path.</summary>
    public static string WebuiDataVolume(string stack) => $"homelab-{stack}-webui-data";

    /// <summary>Caddy's certificates, ACME account and internal CA.</summary>
    public static string CaddyDataVolume(string stack) => $"homelab-{stack}-caddy-data";
}
