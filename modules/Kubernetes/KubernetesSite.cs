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
}
