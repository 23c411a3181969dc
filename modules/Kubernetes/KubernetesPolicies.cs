using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Spec;

namespace HomeLab.Modules.Kubernetes;

/// <summary>
/// Who may talk to whom in the stack's namespace. Neither Ollama (no authentication of its own: ollama #849, #1053)
/// nor the front end behind the proxy's sign-in may be opened by anything but the proxy — and Ollama by the front end.
/// </summary>
/// <remarks>
/// Kubernetes NetworkPolicy semantics (networking.k8s.io/v1, "Network Policies" in the Kubernetes documentation): a pod
/// selected by a policy with Ingress (Egress) in its policyTypes admits only the traffic some such policy's ingress
/// (egress) rules allow; within one rule, the 'from'/'to' peers are alternatives and the ports a further condition.
/// Traffic to a Service is judged by the pod it reaches, so a podSelector admits it through the ClusterIP too.
/// </remarks>
internal static class KubernetesPolicies
{
    /// <summary>
    /// Ollama pods admit only the proxy's pods, and the front end's when <paramref name="frontEnd"/>. Egress stays
    /// open, so Ollama can pull models from its registry.
    /// </summary>
    public static void AddOllama(ProgramBuilder program, KubernetesSite site, bool frontEnd) =>
        program.Add($"{site.Host.Name}-policy", "kubernetes:networking.k8s.io/v1:NetworkPolicy", new MapValue(
            ("metadata", site.Metadata(KubernetesNames.OllamaPolicy, KubernetesCluster.Labels(KubernetesNames.OllamaPart, KubernetesNames.OllamaPolicy))),
            ("spec", new MapValue(
                ("podSelector", Pods(KubernetesNames.OllamaPart)),
                ("policyTypes", new ListValue("Ingress")),
                ("ingress", new ListValue(new MapValue(
                    ("from", new ListValue([Peer(KubernetesNames.ProxyPart), .. frontEnd ? [Peer(KubernetesNames.WebuiPart)] : Array.Empty<Value>()])),
                    ("ports", new ListValue(Port("TCP", Endpoints.OllamaPort))))))))),
            site.Options());

    /// <summary>
    /// The front end's pods admit only the proxy's pods. Without 'openaiApi' they may open nothing but Ollama's pods
    /// and the cluster's DNS (CoreDNS in kube-system, on 53 over UDP and TCP; the API server labels every namespace
    /// kubernetes.io/metadata.name with its name), so the household's chats cannot leave the cluster.
    /// </summary>
    public static void AddWebui(ProgramBuilder program, KubernetesSite site, WebuiSpec webui)
    {
        var ingress = new ListValue(new MapValue(
            ("from", new ListValue(Peer(KubernetesNames.ProxyPart))),
            ("ports", new ListValue(Port("TCP", WebuiEndpoints.Port)))));
        var egress = new ListValue(
            new MapValue(("to", new ListValue(Peer(KubernetesNames.OllamaPart))), ("ports", new ListValue(Port("TCP", Endpoints.OllamaPort)))),
            new MapValue(
                ("to", new ListValue(new MapValue(("namespaceSelector", new MapValue(("matchLabels", new MapValue(("kubernetes.io/metadata.name", "kube-system")))))))),
                ("ports", new ListValue(Port("UDP", 53), Port("TCP", 53)))));
        program.Add("webui-from-proxy", "kubernetes:networking.k8s.io/v1:NetworkPolicy", new MapValue(
            ("metadata", site.Metadata(KubernetesNames.WebuiPolicy, KubernetesCluster.Labels(KubernetesNames.WebuiPart, KubernetesNames.WebuiPolicy))),
            ("spec", new MapValue(
                ("podSelector", Pods(KubernetesNames.WebuiPart)),
                ("policyTypes", webui.OpenAiApi ? new ListValue("Ingress") : new ListValue("Ingress", "Egress")),
                ("ingress", ingress),
                ("egress", webui.OpenAiApi ? null : egress)))),
            site.Options());
    }

    private static MapValue Pods(string part) => new(("matchLabels", new MapValue((KubernetesNames.PartLabel, part))));

    private static MapValue Peer(string part) => new(("podSelector", Pods(part)));

    private static MapValue Port(string protocol, int port) => new(("protocol", protocol), ("port", port));
}
