namespace HomeLab.Spec;

/// <summary>Where models live: a named Docker volume or a host path.</summary>
internal sealed record StorageSpec(string? Volume, string? Path)
{
    /// <summary>Kubernetes hosts: the size of each replica's model volume claim; null when the stack does not set it.</summary>
    public long? SizeBytes { get; init; }
}
