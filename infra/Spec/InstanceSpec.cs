namespace HomeLab.Spec;

internal sealed record InstanceSpec(
    string Name,
    string Host,
    string? Image,
    GpuSpec Gpu,
    ResourceSpec Resources,
    StorageSpec Storage,
    TuningSpec Tuning,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    PublishSpec? Publish,
    IReadOnlyList<ModelSpec> Models,
    bool RemoveUndeclared,
    int Port,
    SourceMark At)
{
    /// <summary>Kubernetes hosts: how many pods serve the instance, each with its own model volume.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>Kubernetes hosts: node labels a pod's node must carry (pod spec nodeSelector), in the stack's order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> NodeSelector { get; init; } = [];
}
