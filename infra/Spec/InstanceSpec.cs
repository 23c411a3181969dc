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
    SourceMark At);
