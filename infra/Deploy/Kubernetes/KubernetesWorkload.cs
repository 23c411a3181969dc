using HomeLab.Spec;

namespace HomeLab.Deploy.Kubernetes;

/// <summary>
/// What one instance asks of the cluster, per replica: <see cref="GpuCount"/> of <see cref="GpuResource"/> (null when
/// it uses no GPU) and <see cref="MemoryBytes"/> as its memory request (null when it states none); on nodes whose
/// labels carry every pair of <see cref="NodeSelector"/>. Each value has the position of its setting.
/// </summary>
internal sealed record KubernetesWorkload(
    string Name,
    SourceMark At,
    GpuVendor Vendor,
    string? GpuResource,
    int GpuCount,
    SourceMark GpuAt,
    long? MemoryBytes,
    SourceMark MemoryAt,
    int Replicas,
    SourceMark ReplicasAt,
    IReadOnlyDictionary<string, string> NodeSelector,
    SourceMark NodeSelectorAt);
