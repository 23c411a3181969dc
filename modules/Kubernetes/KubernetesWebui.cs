using HomeLab.Conventions;
using HomeLab.Modules.Webui;
using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Spec.Shape;

namespace HomeLab.Modules.Kubernetes;

/// <summary>
/// The chat front end on the proxy's Kubernetes host: its secrets in a Secret built from Pulumi secret config, a claim
/// for its data, a non-root Deployment of one pod with a read-only root, a ClusterIP Service only the proxy's pods may
/// open (NetworkPolicy), and — unless the stack lets it use OpenAI-compatible APIs — no way out but to Ollama and DNS.
/// </summary>
internal static class KubernetesWebui
{
    private const string PortName = "http";
    private const string DataVolume = "data";
    private const string ScratchVolume = "scratch";

    /// <summary>
    /// pulumi-kubernetes provider/pkg/await/deployment.go (deploymentInitAwaiter.Await) waits for the rollout 10 minutes
    /// by default (DefaultDeploymentTimeoutMins); the Open WebUI image is several GiB and its first start migrates the
    /// database, so the Deployment gets the half hour the Ollama StatefulSets get.
    /// </summary>
    public static readonly CustomTimeouts RolloutTimeouts = KubernetesOllama.RolloutTimeouts;

    /// <summary>The Deployment, which the proxy and the hooks wait for (pulumi-kubernetes awaits its rollout).</summary>
    public static Resource Add(ProgramBuilder program, StackSpec spec, WebuiSpec webui, KubernetesSite site)
    {
        var labels = KubernetesCluster.Labels(KubernetesNames.WebuiPart, KubernetesNames.Webui);
        var selector = KubernetesCluster.Selector(KubernetesNames.WebuiPart, KubernetesNames.Webui);
        var secrets = WebuiEnvironment.Secrets(webui);
        var secret = site.AddSecret(program, "webui-secrets", KubernetesNames.WebuiSecret, labels, secrets);
        var data = site.AddClaim(program, "webui-data", KubernetesNames.WebuiData, labels, webui.Storage.SizeBytes ?? SpecShape.WebuiClaimBytes);
        var instances = spec.InstancesOf(webui);
        var env = Environment(WebuiEnvironment.ForImage(spec, webui, instances.Select(i => spec.InternalUrl(i))))
            .Concat(secrets.Select(s => (Value)new MapValue(
                ("name", s.Variable),
                ("valueFrom", new MapValue(("secretKeyRef", new MapValue(("name", KubernetesNames.WebuiSecret), ("key", s.Variable))))))))
            .ToList();
        var deployment = program.Add("webui-deployment", "kubernetes:apps/v1:Deployment", new MapValue(
            ("metadata", site.Metadata(KubernetesNames.Webui, labels)),
            ("spec", new MapValue(
                ("replicas", 1),
                // One pod holds the ReadWriteOnce claim and its SQLite database at a time.
                ("strategy", new MapValue(("type", "Recreate"))),
                ("selector", new MapValue(("matchLabels", selector))),
                ("template", new MapValue(
                    ("metadata", new MapValue(("labels", labels), ("annotations", new MapValue(KubernetesSite.SecretUid(secret))))),
                    ("spec", new MapValue(
                        // The claim keeps the group from its first start; no recursive chown of a grown database at every restart.
                        ("securityContext", KubernetesSecurity.Pod(("fsGroupChangePolicy", "OnRootMismatch"))),
                        ("containers", new ListValue(new MapValue(
                            ("name", "open-webui"),
                            ("image", webui.Image ?? Pins.WebuiImage),
                            ("ports", new ListValue(new MapValue(("name", PortName), ("containerPort", WebuiEndpoints.Port), ("protocol", "TCP")))),
                            ("env", new ListValue(env)),
                            ("volumeMounts", new ListValue(
                                new MapValue(("name", DataVolume), ("mountPath", WebuiEndpoints.DataPath)),
                                new MapValue(("name", ScratchVolume), ("mountPath", WebuiEnvironment.ScratchPath)))),
                            // main.py (healthcheck) answers once the app has started, after the migrations of a first
                            // start (and of an upgrade), which on a slow disk take minutes: ten before readiness rules.
                            ("startupProbe", Probe(periodSeconds: 10, failureThreshold: 60)),
                            ("readinessProbe", Probe(periodSeconds: 10, failureThreshold: 3)),
                            // A read-only root: backend/start.sh (stored @059cf821) writes .webui_secret_key into its
                            // directory only when WEBUI_SECRET_KEY is unset (the Secret sets it); its 'tee server.log'
                            // there fails alone, while tee still passes the log on to the pod's output.
                            ("securityContext", KubernetesSecurity.Container(("readOnlyRootFilesystem", true)))))),
                        ("volumes", new ListValue(
                            new MapValue(("name", DataVolume), ("persistentVolumeClaim", new MapValue(("claimName", KubernetesNames.WebuiData)))),
                            new MapValue(("name", ScratchVolume), ("emptyDir", new MapValue(("sizeLimit", KubernetesQuantity.Bytes(256L << 20)))))))))))))),
            site.Options([new Ref(secret.Name), new Ref(data.Name)], RolloutTimeouts));
        program.Add("webui-service", "kubernetes:core/v1:Service", new MapValue(
            ("metadata", site.Metadata(KubernetesNames.Webui, labels)),
            ("spec", new MapValue(
                ("type", "ClusterIP"),
                ("selector", selector),
                ("ports", new ListValue(new MapValue(("name", PortName), ("protocol", "TCP"), ("port", WebuiEndpoints.Port), ("targetPort", PortName))))))),
            site.Options([new Ref(deployment.Name)]));
        KubernetesPolicies.AddWebui(program, site, webui);
        return deployment;
    }

    /// <summary>The plain settings (HOME among them, on the scratch volume: WebuiEnvironment.ForImage says why).</summary>
    private static IEnumerable<Value> Environment(IReadOnlyList<(string Key, string Value)> settings) =>
        settings.Select(s => (Value)new MapValue(("name", s.Key), ("value", s.Value)));

    private static MapValue Probe(int periodSeconds, int failureThreshold) => KubernetesHttpProbe.Http(WebuiEndpoints.HealthPath, PortName, periodSeconds, failureThreshold);
}
