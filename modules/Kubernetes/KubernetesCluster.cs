using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Spec;

namespace HomeLab.Modules.Kubernetes;

/// <summary>
/// Per Kubernetes host: the provider pointed at the cluster, the stack's namespace, and the NetworkPolicy that lets
/// only the proxy's pods (and the front end's) reach Ollama.
/// </summary>
internal static class KubernetesCluster
{
    /// <summary>The sites of the stack's Kubernetes hosts that run an instance or the proxy, by host name.</summary>
    public static Dictionary<string, KubernetesSite> Add(ProgramBuilder program, StackSpec spec)
    {
        var sites = new Dictionary<string, KubernetesSite>(StringComparer.Ordinal);
        foreach (var host in spec.UsedHosts().OfType<KubernetesHostSpec>())
        {
            // pulumi-kubernetes provider/pkg/provider/provider.go (CheckConfig): kubeconfig is a path or the file's
            // text ('~/' expanded: util.go, parseKubeconfigString), context picks one of its contexts, namespace is where objects without one go; server-side apply
            // makes the provider's diff the API server's own (dry-run apply) rather than a client-side guess.
            var provider = program.Add($"{host.Name}-cluster", "pulumi:providers:kubernetes", new MapValue(
                ("kubeconfig", Value.Maybe(host.Kubeconfig)),
                ("context", Value.Maybe(host.Context)),
                ("namespace", KubernetesNames.Namespace(spec.Name, host.Namespace)),
                ("enableServerSideApply", true)),
                new ResourceOptions(Version: Pins.KubernetesProvider));
            var ns = program.Add($"{host.Name}-namespace", "kubernetes:core/v1:Namespace", new MapValue(
                ("metadata", new MapValue(("name", KubernetesNames.Namespace(spec.Name, host.Namespace)), ("labels", Labels(KubernetesNames.NamespacePart, spec.Name))))),
                new ResourceOptions(Provider: new Ref(provider.Name), Version: Pins.KubernetesProvider));
            var site = new KubernetesSite(host, provider, ns);
            if (spec.InstancesOn(host).Any())
            {
                KubernetesPolicies.AddOllama(program, site, frontEnd: spec.Webui?.Host == host.Name);
            }

            sites[host.Name] = site;
        }

        return sites;
    }

    /// <summary>The labels of one HomeLab object: which part it is, which instance (or 'proxy'), and who manages it.</summary>
    public static MapValue Labels(string part, string instance) => new(
        (KubernetesNames.PartLabel, part),
        (KubernetesNames.InstanceLabel, instance),
        (KubernetesNames.ManagedByLabel, KubernetesNames.ManagedBy));

    /// <summary>The selector of one part's pods; a subset of <see cref="Labels"/>, which selectors never change.</summary>
    public static MapValue Selector(string part, string instance) => new(
        (KubernetesNames.PartLabel, part),
        (KubernetesNames.InstanceLabel, instance));
}
