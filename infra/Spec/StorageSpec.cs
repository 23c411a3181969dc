namespace HomeLab.Spec;

/// <summary>Where models live: a named Docker volume or a host path.</summary>
internal sealed record StorageSpec(string? Volume, string? Path);
