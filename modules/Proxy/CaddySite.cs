using HomeLab.Spec;

namespace HomeLab.Modules.Proxy;

/// <summary>
/// Where a Caddyfile will run: the ports Caddy listens on, how it reaches each instance, and the address it binds
/// (null: the stack's <c>proxy.bind</c>; "0.0.0.0": every interface, as inside a container whose ports Docker publishes),
/// and how it reaches the chat front end as host:port (required when the stack has 'webui:').
/// </summary>
internal sealed record CaddySite(int HttpPort, int HttpsPort, Func<InstanceSpec, string> Upstream, string? Bind = null, string? WebuiUpstream = null)
{
    /// <summary>
    /// How Caddy reaches one replica (by ordinal) of an instance that runs several, so the hooks can pin a request to
    /// it; required when the hooks go through the proxy and an instance has more than one replica (Kubernetes only).
    /// </summary>
    public Func<InstanceSpec, int, string>? ReplicaUpstream { get; init; }
}
