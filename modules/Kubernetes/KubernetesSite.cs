using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Spec;

namespace HomeLab.Modules.Kubernetes;

/// <summary>One Kubernetes host: its provider resource and the namespace every object of the stack goes into.</summary>
internal sealed record KubernetesSite(KubernetesHostSpec Host, Resource Provider, Resource Namespace)
{
    /// <summary>The namespace's name as an output, so every object waits for the namespace.</summary>
    public Value NamespaceName => Namespace.Output("metadata.name");

    public ResourceOptions Options(IReadOnlyList<Ref>? dependsOn = null, CustomTimeouts? timeouts = null) =>
        new(Provider: new Ref(Provider.Name), Version: Pins.KubernetesProvider, DependsOn: dependsOn is { Count: > 0 } ? dependsOn : null, CustomTimeouts: timeouts);

    /// <summary>The metadata of an object named <paramref name="name"/> in the stack's namespace.</summary>
    public MapValue Metadata(string name, MapValue labels, MapValue? annotations = null) =>
        new(("name", name), ("namespace", NamespaceName), ("labels", labels), ("annotations", annotations));

    /// <summary>
    /// The pod-template annotation that rolls a pod when its Secret changes: pods read a Secret's values as
    /// environment variables only when they start, and the program text cannot digest values it never sees. The
    /// provider replaces a Secret whose data changes (pulumi-kubernetes provider/pkg/provider/diff.go,
    /// forceNewProperties: .stringData and .data unless enableSecretMutable, which HomeLab leaves off), so the
    /// Secret's uid changes exactly then; a preview shows it unknown, and the pod's update with it.
    /// </summary>
    public static (string, Value) SecretUid(Resource secret) =>
        (KubernetesNames.SecretUidAnnotation, secret.Output("metadata.uid"));

    /// <summary>
    /// An Opaque Secret whose stringData holds each variable's secret config value: the program text names the keys,
    /// Pulumi supplies the values encrypted, and the provider marks the Secret's data secret in state.
    /// </summary>
    public Resource AddSecret(ProgramBuilder program, string resource, string name, MapValue labels, IEnumerable<(string Variable, string SecretKey)> entries) =>
        program.Add(resource, "kubernetes:core/v1:Secret", new MapValue(
            ("metadata", Metadata(name, labels)),
            ("type", "Opaque"),
            ("stringData", new MapValue(entries.Select(e => new KeyValuePair<string, Value>(e.Variable, program.Secret(e.SecretKey))).ToList()))),
            Options());

    /// <summary>
    /// A ReadWriteOnce claim of the host's storage class. pulumi-kubernetes provider/pkg/await/awaiters.go
    /// (untilCoreV1PersistentVolumeClaimReady) takes a claim of a WaitForFirstConsumer class (k3s' local-path) as ready
    /// while Pending, so it does not wait for the pod that will consume it.
    /// </summary>
    public Resource AddClaim(ProgramBuilder program, string resource, string name, MapValue labels, long bytes) =>
        program.Add(resource, "kubernetes:core/v1:PersistentVolumeClaim", new MapValue(
            ("metadata", Metadata(name, labels)),
            ("spec", new MapValue(
                ("accessModes", new ListValue("ReadWriteOnce")),
                ("storageClassName", Value.Maybe(Host.StorageClass)),
                ("resources", new MapValue(("requests", new MapValue(("storage", KubernetesQuantity.Bytes(bytes))))))))),
            Options());
}
