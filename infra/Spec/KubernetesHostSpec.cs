namespace HomeLab.Spec;

/// <summary>
/// A Kubernetes cluster (k3s first) that runs Ollama as StatefulSets through the Pulumi kubernetes provider.
/// <see cref="Kubeconfig"/> and <see cref="Context"/> are null when the stack leaves them to the provider's defaults
/// ($KUBECONFIG or ~/.kube/config, and its current context); <see cref="Namespace"/> is null when the stack leaves it
/// to the convention (<see cref="Conventions.KubernetesNames.Namespace"/>); <see cref="StorageClass"/> null means the
/// cluster's default class; <see cref="GpuResource"/> null means each instance's vendor default
/// (<see cref="Shape.SpecShape.GpuResourceFor"/>).
/// </summary>
internal sealed record KubernetesHostSpec(
    string Name,
    string Address,
    string? Kubeconfig,
    string? Context,
    string? Namespace,
    string? StorageClass,
    string RuntimeClass,
    string? GpuResource,
    ProxyServiceType ProxyService,
    SourceMark At) : HostSpec(Name, Address, At)
{
    /// <summary>
    /// The host groups that own the AMD device nodes (/dev/kfd, /dev/dri/renderD*), given to non-root AMD pods as
    /// supplemental groups; the stack's 'amdGroups', else <see cref="Conventions.KubernetesNames.AmdDeviceGroups"/>.
    /// </summary>
    public IReadOnlyList<long> AmdGroups { get; init; } = Conventions.KubernetesNames.AmdDeviceGroups;
}
