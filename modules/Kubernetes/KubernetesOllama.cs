using HomeLab.Conventions;
using HomeLab.Modules.Docker;
using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Spec.Shape;

namespace HomeLab.Modules.Kubernetes;

/// <summary>
/// An Ollama instance on a Kubernetes host: a StatefulSet whose every replica gets its own model volume from
/// 'volumeClaimTemplates' (never one ReadWriteOnce claim shared by replicas), a headless Service that names the
/// replicas (StatefulSet.spec.serviceName) and a ClusterIP Service the proxy forwards to.
/// </summary>
internal static class KubernetesOllama
{
    private const string PortName = "http";

    /// <summary>
    /// pulumi-kubernetes provider/pkg/await/statefulset.go (statefulsetInitAwaiter.Await) waits until every replica is
    /// ready and the update revision is current, 10 minutes by default (DefaultStatefulSetTimeoutMins); a first pull
    /// of the ROCm image (several GiB) on a home line takes longer, so the StatefulSet gets half an hour. Model pulls
    /// are not in it: the hooks do them afterwards.
    /// </summary>
    public static readonly CustomTimeouts RolloutTimeouts = new("30m", "30m");

    /// <summary>The StatefulSet; the Services are added beside it.</summary>
    public static Resource Add(ProgramBuilder program, InstanceSpec instance, KubernetesSite site)
    {
        var labels = KubernetesCluster.Labels(KubernetesNames.OllamaPart, instance.Name);
        var selector = KubernetesCluster.Selector(KubernetesNames.OllamaPart, instance.Name);
        var ports = new ListValue(new MapValue(("name", PortName), ("protocol", "TCP"), ("port", Endpoints.OllamaPort), ("targetPort", PortName)));
        var headless = program.Add($"{instance.Name}-headless", "kubernetes:core/v1:Service", new MapValue(
            ("metadata", site.Metadata(KubernetesNames.HeadlessService(instance.Name), labels)),
            ("spec", new MapValue(("clusterIP", "None"), ("selector", selector), ("ports", ports)))),
            site.Options());
        var statefulSet = program.Add($"{instance.Name}-statefulset", "kubernetes:apps/v1:StatefulSet", new MapValue(
            ("metadata", site.Metadata(KubernetesNames.StatefulSet(instance.Name), labels)),
            ("spec", new MapValue(
                ("serviceName", KubernetesNames.HeadlessService(instance.Name)),
                ("replicas", instance.Replicas),
                // Replicas share nothing (each has its own volume), so they start together rather than one by one.
                ("podManagementPolicy", "Parallel"),
                ("selector", new MapValue(("matchLabels", selector))),
                ("template", new MapValue(
                    ("metadata", new MapValue(("labels", labels))),
                    ("spec", PodSpec(instance, site.Host)))),
                ("volumeClaimTemplates", new ListValue(ClaimTemplate(instance, site.Host)))))),
            site.Options([new Ref(headless.Name)], RolloutTimeouts));
        program.Add($"{instance.Name}-clusterip", "kubernetes:core/v1:Service", new MapValue(
            ("metadata", site.Metadata(KubernetesNames.Service(instance.Name), labels)),
            ("spec", new MapValue(("type", "ClusterIP"), ("selector", selector), ("ports", ports)))),
            site.Options([new Ref(statefulSet.Name)]));
        return statefulSet;
    }

    /// <summary>The GPU resource the pods request: the host's, or the vendor's device-plugin default.</summary>
    public static string GpuResource(InstanceSpec instance, KubernetesHostSpec host) =>
        host.GpuResource ?? SpecShape.GpuResourceFor(instance.Gpu.Vendor);

    private static MapValue PodSpec(InstanceSpec instance, KubernetesHostSpec host)
    {
        var gpu = instance.Gpu.Vendor is not GpuVendor.None;
        var volumes = instance.Resources.SharedMemoryBytes is { } shm
            ? new ListValue(new MapValue(("name", "shm"), ("emptyDir", new MapValue(("medium", "Memory"), ("sizeLimit", KubernetesQuantity.Bytes(shm))))))
            : null;
        return new MapValue(
            // k3s registers the NVIDIA runtime it detects as RuntimeClass 'nvidia' but keeps runc the default, so a pod
            // without it is scheduled on the GPU and cannot see it (k3s #8248, otwld/ollama-helm #88).
            ("runtimeClassName", Value.Maybe(instance.Gpu.Vendor is GpuVendor.Nvidia ? host.RuntimeClass : null)),
            ("nodeSelector", instance.NodeSelector.Count > 0 ? new MapValue(instance.NodeSelector.Select(l => new KeyValuePair<string, Value>(l.Key, l.Value)).ToList()) : null),
            // GPU nodes are commonly tainted with the vendor's resource name (the NVIDIA GPU operator and managed
            // clusters do); Exists with no effect tolerates whichever effect the taint has.
            ("tolerations", gpu ? new ListValue(new MapValue(("key", SpecShape.GpuResourceFor(instance.Gpu.Vendor)), ("operator", "Exists"))) : null),
            ("securityContext", new MapValue(
                ("runAsNonRoot", true),
                ("runAsUser", KubernetesNames.PodUser),
                ("runAsGroup", KubernetesNames.PodUser),
                ("fsGroup", KubernetesNames.PodUser),
                ("supplementalGroups", instance.Gpu.Vendor is GpuVendor.Amd && host.AmdGroups.Count > 0 ? new ListValue(host.AmdGroups.Select(g => (Value)g).ToList()) : null),
                ("seccompProfile", new MapValue(("type", "RuntimeDefault"))))),
            ("containers", new ListValue(Container(instance, host))),
            ("volumes", volumes));
    }

    private static MapValue Container(InstanceSpec instance, KubernetesHostSpec host)
    {
        var mounts = new List<Value> { new MapValue(("name", KubernetesNames.ModelsClaim), ("mountPath", KubernetesNames.ModelsMount)) };
        if (instance.Resources.SharedMemoryBytes is not null)
        {
            mounts.Add(new MapValue(("name", "shm"), ("mountPath", "/dev/shm")));
        }

        return new MapValue(
            ("name", "ollama"),
            ("image", OllamaImage.For(instance)),
            ("ports", new ListValue(new MapValue(("name", PortName), ("containerPort", Endpoints.OllamaPort), ("protocol", "TCP")))),
            ("env", Environment(instance)),
            ("resources", Resources(instance, host)),
            ("volumeMounts", new ListValue(mounts)),
            // The server answers /api/version as soon as it listens (ollama server/routes.go, GenerateRoutes); a cold
            // start on a slow volume may take minutes, so the startup probe allows ten before liveness takes over.
            ("startupProbe", Probe(periodSeconds: 10, failureThreshold: 60)),
            ("readinessProbe", Probe(periodSeconds: 10, failureThreshold: 3)),
            ("livenessProbe", Probe(periodSeconds: 30, failureThreshold: 3)),
            ("securityContext", KubernetesSecurity.Container()));
    }

    private static MapValue Probe(int periodSeconds, int failureThreshold) => KubernetesHttpProbe.Http("/api/version", PortName, periodSeconds, failureThreshold);

    /// <summary>
    /// Ollama's environment: it listens on every interface of the pod; ollama envconfig/config.go (Models) puts
    /// models under $HOME/.ollama/models unless OLLAMA_MODELS says otherwise, and the server writes its key pair to
    /// $HOME/.ollama (cmd/cmd.go, initializeKeypair), so both lie on the volume: the image's HOME (/root) is not
    /// writable by a non-root user. The stack's 'env:' cannot set these three (<see cref="KubernetesInstanceRules"/>); it wins
    /// over the same variable from 'tuning:' (<see cref="OllamaEnvironment"/>), in the stack's order after the rest.
    /// </summary>
    private static ListValue Environment(InstanceSpec instance)
    {
        var env = new List<Value>();
        var variables = OllamaEnvironment.Of(
            instance,
            KeyValuePair.Create("OLLAMA_HOST", $"{Endpoints.AllInterfaces}:{Endpoints.OllamaPort}"),
            KeyValuePair.Create("HOME", KubernetesNames.ModelsMount),
            KeyValuePair.Create("OLLAMA_MODELS", $"{KubernetesNames.ModelsMount}/models"));
        foreach (var (key, value) in variables.All)
        {
            env.Add(new MapValue(("name", key), ("value", value)));
        }

        return new ListValue(env);
    }

    /// <summary>Memory as request and limit alike (a model that does not fit should fail to load, not be evicted later); CPUs likewise; GPUs as limits.</summary>
    private static MapValue? Resources(InstanceSpec instance, KubernetesHostSpec host)
    {
        var limits = new List<KeyValuePair<string, Value>>();
        var requests = new List<KeyValuePair<string, Value>>();
        if (instance.Resources.Cpus is { } cpus)
        {
            limits.Add(new("cpu", KubernetesQuantity.Cpus(cpus)));
            requests.Add(new("cpu", KubernetesQuantity.Cpus(cpus)));
        }

        if (instance.Resources.MemoryBytes is { } memory)
        {
            limits.Add(new("memory", KubernetesQuantity.Bytes(memory)));
            requests.Add(new("memory", KubernetesQuantity.Bytes(memory)));
        }

        if (instance.Gpu.Vendor is not GpuVendor.None)
        {
            // Extended resources are limits only; the API server copies the limit into requests.
            limits.Add(new(GpuResource(instance, host), KubernetesQuantity.Count(instance.Gpu.Count ?? 1)));
        }

        return limits.Count == 0 ? null : new MapValue(("limits", new MapValue(limits)), ("requests", requests.Count > 0 ? new MapValue(requests) : null));
    }

    private static MapValue ClaimTemplate(InstanceSpec instance, KubernetesHostSpec host) => new(
        ("metadata", new MapValue(("name", KubernetesNames.ModelsClaim))),
        ("spec", new MapValue(
            ("accessModes", new ListValue("ReadWriteOnce")),
            ("storageClassName", Value.Maybe(host.StorageClass)),
            ("resources", new MapValue(("requests", new MapValue(("storage", KubernetesQuantity.Bytes(instance.Storage.SizeBytes ?? SpecShape.ModelClaimBytes)))))))));
}
