using HomeLab.Conventions;
using HomeLab.Modules.Proxy;
using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Spec.Shape;

namespace HomeLab.Modules.Kubernetes;

/// <summary>
/// The proxy on a Kubernetes host: the Caddyfile <see cref="CaddyProxy"/> renders (the one renderer every target
/// uses) in a ConfigMap, the credentials in a Secret built from Pulumi secret config, a Deployment whose pod template
/// carries the Caddyfile's digest (so a change rolls the pod), a claim for Caddy's certificates and CA, and a
/// Service of the type the host chooses.
/// </summary>
internal static class KubernetesProxy
{
    private const string ConfigVolume = "caddyfile";
    private const string DataVolume = "data";
    private const string StateVolume = "config";

    /// <summary>The Deployment and the Service; the hooks wait for both.</summary>
    /// <param name="upstreams">What the proxy forwards to (the instances' StatefulSets, the front end's Deployment): its Deployment waits for them.</param>
    public static IReadOnlyList<Resource> Add(ProgramBuilder program, StackSpec spec, ProxySpec proxy, KubernetesSite site, IReadOnlyList<Resource> upstreams)
    {
        // Caddy listens in its pod on the ports clients use (the Service forwards the same numbers), so the redirect
        // to HTTPS names the right port; each instance is its ClusterIP Service in the namespace, each replica of
        // an instance with several its pod's name under the headless Service, and the front end its Service.
        var ns = KubernetesNames.Namespace(spec.Name, site.Host.Namespace);
        var webuiUpstream = spec.Webui is null ? null : KubernetesNames.WebuiUpstream;
        var caddyfile = CaddyProxy.Render(spec, proxy, new CaddySite(proxy.HttpPort, proxy.HttpsPort, instance => KubernetesNames.Upstream(instance.Name), Endpoints.AllInterfaces, webuiUpstream)
        {
            ReplicaUpstream = (instance, ordinal) => KubernetesNames.ReplicaUpstream(instance.Name, ns, ordinal),
        });
        var labels = KubernetesCluster.Labels(KubernetesNames.ProxyPart, KubernetesNames.Proxy);
        var selector = KubernetesCluster.Selector(KubernetesNames.ProxyPart, KubernetesNames.Proxy);
        var config = program.Add("proxy-caddyfile", "kubernetes:core/v1:ConfigMap", new MapValue(
            ("metadata", site.Metadata(KubernetesNames.ProxyConfig, labels)),
            ("data", new MapValue((Path.GetFileName(CaddyProxy.CaddyfilePath), caddyfile)))),
            site.Options());
        var credentials = proxy.Auth.Credentials();
        var secret = credentials.Count > 0 ? site.AddSecret(program, "proxy-credentials", KubernetesNames.ProxySecret, labels, credentials.Select(c => (c.Variable, c.SecretKey))) : null;
        // Caddy's certificates and CA.
        var data = site.AddClaim(program, "proxy-data", KubernetesNames.ProxyData, labels, 1L << 30);
        var ports = new List<(string Name, int Number)> { ("http", proxy.HttpPort) };
        if (proxy.Tls is not TlsMode.Off)
        {
            ports.Add(("https", proxy.HttpsPort));
        }

        var env = credentials.Select(c => (Value)new MapValue(
            ("name", c.Variable),
            ("valueFrom", new MapValue(("secretKeyRef", new MapValue(("name", KubernetesNames.ProxySecret), ("key", c.Variable))))))).ToList();
        var deployment = program.Add("proxy-deployment", "kubernetes:apps/v1:Deployment", new MapValue(
            ("metadata", site.Metadata(KubernetesNames.Proxy, labels)),
            ("spec", new MapValue(
                ("replicas", 1),
                // One pod holds the ReadWriteOnce certificate claim at a time.
                ("strategy", new MapValue(("type", "Recreate"))),
                ("selector", new MapValue(("matchLabels", selector))),
                ("template", new MapValue(
                    ("metadata", new MapValue(("labels", labels), ("annotations", new MapValue([(KubernetesNames.ConfigDigestAnnotation, ContentDigest.Of(caddyfile)), .. secret is null ? [] : new[] { KubernetesSite.SecretUid(secret) }])))),
                    ("spec", new MapValue(
                        ("securityContext", KubernetesSecurity.Pod(
                            // A namespaced, 'safe' sysctl (Kubernetes 1.22+): lets the non-root Caddy bind 80 and 443
                            // without any capability, so the container can still drop them all.
                            ("sysctls", new ListValue(new MapValue(("name", "net.ipv4.ip_unprivileged_port_start"), ("value", "0")))))),
                        ("containers", new ListValue(new MapValue(
                            ("name", "caddy"),
                            ("image", proxy.Image ?? Pins.CaddyImage),
                            ("ports", new ListValue(ports.Select(p => (Value)new MapValue(("name", p.Name), ("containerPort", p.Number), ("protocol", "TCP"))).ToList())),
                            ("env", env.Count > 0 ? new ListValue(env) : null),
                            ("volumeMounts", new ListValue(
                                new MapValue(("name", ConfigVolume), ("mountPath", Path.GetDirectoryName(CaddyProxy.CaddyfilePath)!), ("readOnly", true)),
                                new MapValue(("name", DataVolume), ("mountPath", CaddyProxy.DataPath)),
                                // The image's XDG_CONFIG_HOME, where Caddy saves its autosave.json; not writable by a non-root user otherwise.
                                new MapValue(("name", StateVolume), ("mountPath", "/config")))),
                            ("readinessProbe", new MapValue(("tcpSocket", new MapValue(("port", "http"))), ("periodSeconds", 10))),
                            ("securityContext", KubernetesSecurity.Container())))),
                        ("volumes", new ListValue(
                            new MapValue(("name", ConfigVolume), ("configMap", new MapValue(("name", KubernetesNames.ProxyConfig)))),
                            new MapValue(("name", DataVolume), ("persistentVolumeClaim", new MapValue(("claimName", KubernetesNames.ProxyData)))),
                            new MapValue(("name", StateVolume), ("emptyDir", new MapValue()))))))))))),
            site.Options([.. new[] { config, data }.Concat(secret is null ? [] : [secret]).Concat(upstreams).Select(r => new Ref(r.Name))]));
        var service = program.Add("proxy-service", "kubernetes:core/v1:Service", new MapValue(
            ("metadata", site.Metadata(KubernetesNames.Proxy, labels)),
            ("spec", new MapValue(
                ("type", SpecShape.ProxyServices.Of(site.Host.ProxyService)),
                ("selector", selector),
                ("ports", new ListValue(ports.Select(p => (Value)new MapValue(("name", p.Name), ("protocol", "TCP"), ("port", p.Number), ("targetPort", p.Name))).ToList()))))),
            site.Options([new Ref(deployment.Name)]));
        return [deployment, service];
    }
}
