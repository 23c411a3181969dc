using System.Text;


namespace HomeLab.Conventions;

/// <summary>
/// The names HomeLab gives what it creates in a Kubernetes namespace. Every object lives in the stack's namespace,
/// so names need not carry the stack. Names of one kind cannot collide: instance Services are <c>ollama-INSTANCE</c>,
/// headless Services <c>pods-INSTANCE</c>, the proxy's Service <c>proxy</c> and the front end's <c>webui</c> — four
/// different beginnings (likewise the claims <c>models-…</c>, <c>proxy-data</c>, <c>webui-data</c>, and the Secrets and
/// NetworkPolicies); an instance name (at most 41 characters of '[a-z0-9-]') keeps every name within the 63 of a DNS label.
/// </summary>
internal static class KubernetesNames
{
    /// <summary>The label every HomeLab object carries, with the value saying which part it belongs to.</summary>
    public const string PartLabel = "app.kubernetes.io/name";

    /// <summary>The label naming the instance (or 'proxy') a pod belongs to; selectors match it.</summary>
    public const string InstanceLabel = "app.kubernetes.io/instance";

    /// <summary>The label saying which tool manages the objects.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>The value of <see cref="ManagedByLabel"/>.</summary>
    public const string ManagedBy = "homelab";

    /// <summary>The value of <see cref="PartLabel"/> on the stack's namespace.</summary>
    public const string NamespacePart = "homelab";

    /// <summary>The value of <see cref="PartLabel"/> on Ollama pods.</summary>
    public const string OllamaPart = "ollama";

    /// <summary>The value of <see cref="PartLabel"/> on proxy pods.</summary>
    public const string ProxyPart = "caddy";

    /// <summary>The value of <see cref="PartLabel"/> on the chat front end's pods.</summary>
    public const string WebuiPart = "open-webui";

    /// <summary>The name of the model volume claim template; PVCs are named <c>models-STATEFULSET-ORDINAL</c>.</summary>
    public const string ModelsClaim = "models";

    /// <summary>Where the model volume is mounted in an Ollama pod; HOME and OLLAMA_MODELS point into it.</summary>
    public const string ModelsMount = "/data";

    /// <summary>The pod-template annotation carrying the proxy configuration's digest, so a change rolls the pod.</summary>
    public const string ConfigDigestAnnotation = "homelab.dev/config-digest";

    /// <summary>The pod-template annotation carrying the uid of the pod's Secret, so a new credential rolls the pod.</summary>
    public const string SecretUidAnnotation = "homelab.dev/secret-uid";

    /// <summary>
    /// The namespace a Kubernetes host uses when the stack names none: <c>homelab-STACK</c>, lower-cased, with
    /// anything outside a DNS label turned into '-' and cut to the 63 characters a label may have.
    /// </summary>
    public static string Namespace(string stack, string? chosen)
    {
        if (chosen is not null)
        {
            return chosen;
        }

        var name = new StringBuilder("homelab-");
        foreach (var c in stack.ToLowerInvariant())
        {
            name.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-');
        }

        var label = name.ToString();
        return (label.Length > 63 ? label[..63] : label).TrimEnd('-');
    }

    /// <summary>The StatefulSet (and its pods' prefix) of an instance.</summary>
    public static string StatefulSet(string instance) => $"ollama-{instance}";

    /// <summary>The headless Service that gives each replica a stable DNS name (StatefulSet.spec.serviceName).</summary>
    public static string HeadlessService(string instance) => $"pods-{instance}";

    /// <summary>The ClusterIP Service the proxy sends an instance's traffic to.</summary>
    public static string Service(string instance) => $"ollama-{instance}";

    /// <summary>The proxy's Deployment, Service and NetworkPolicy-facing name.</summary>
    public const string Proxy = "proxy";

    /// <summary>The ConfigMap holding the proxy's Caddyfile.</summary>
    public const string ProxyConfig = "proxy-caddyfile";

    /// <summary>The Secret holding the proxy's credentials (built from Pulumi secret config).</summary>
    public const string ProxySecret = "proxy-credentials";

    /// <summary>The PersistentVolumeClaim keeping Caddy's certificates and internal CA across pod restarts.</summary>
    public const string ProxyData = "proxy-data";

    /// <summary>The chat front end's Deployment and Service, and the value of <see cref="InstanceLabel"/> on its objects.</summary>
    public const string Webui = "webui";

    /// <summary>The PersistentVolumeClaim holding the front end's database and uploads (its DATA_DIR).</summary>
    public const string WebuiData = "webui-data";

    /// <summary>The Secret holding the front end's session key (and admin password), built from Pulumi secret config.</summary>
    public const string WebuiSecret = "webui-secrets";

    /// <summary>The NetworkPolicy that lets only the proxy reach the front end's pods.</summary>
    public const string WebuiPolicy = "webui-from-proxy";

    /// <summary>Where the proxy's pod reaches the front end: its ClusterIP Service in the same namespace.</summary>
    public static string WebuiUpstream => $"{Webui}:{WebuiEndpoints.Port}";

    /// <summary>Where the proxy's pod reaches an instance: its ClusterIP Service in the same namespace.</summary>
    public static string Upstream(string instance) => $"{Service(instance)}:{Endpoints.OllamaPort}";

    /// <summary>
    /// The pod of one replica: a StatefulSet names its pods STATEFULSET-ORDINAL (kubernetes
    /// pkg/controller/statefulset/stateful_set_utils.go, getPodName).
    /// </summary>
    public static string Pod(string instance, int ordinal) => $"{StatefulSet(instance)}-{ordinal}";

    /// <summary>
    /// Where the proxy's pod reaches one replica: its own DNS name through the headless Service,
    /// POD.SERVICE.NAMESPACE.svc (the StatefulSet sets each pod's hostname and subdomain from its name and
    /// spec.serviceName, pkg/controller/statefulset/stateful_set_utils.go initIdentity; the DNS record is the
    /// cluster DNS specification's "A/AAAA records for hostname and subdomain").
    /// </summary>
    public static string ReplicaUpstream(string instance, string ns, int ordinal) =>
        $"{Pod(instance, ordinal)}.{HeadlessService(instance)}.{ns}.svc:{Endpoints.OllamaPort}";

    /// <summary>Where an instance answers inside its cluster: its ClusterIP Service.</summary>
    public static string Url(string instance) => $"http://{Upstream(instance)}";

    /// <summary>The unprivileged user and group pods run as (neither image needs root; the volumes get this group).</summary>
    public const long PodUser = 1000;

    /// <summary>
    /// The host groups owning /dev/dri/renderD* and /dev/kfd on Debian and Ubuntu nodes (video is 44 in base-passwd;
    /// render is the group systemd's udev rules create, 109 on Ubuntu 22.04/24.04): the ROCm device plugin mounts
    /// the devices with the host's ownership, so a non-root pod needs both as supplemental groups. The default of a
    /// Kubernetes host's 'amdGroups', for nodes whose distribution numbers them otherwise (ROCm's container guides:
    /// the groups must be the host's ids of video and render).
    /// </summary>
    public static readonly long[] AmdDeviceGroups = [44, 109];

    /// <summary>The NetworkPolicy that lets only the proxy (and the front end, when the stack has one) reach Ollama pods.</summary>
    public const string OllamaPolicy = "ollama-from-proxy";
}
