using HomeLab.Spec;

namespace HomeLab.Deploy;

/// <summary>What probing one host gave: its facts, or why it could not be reached.</summary>
internal sealed record HostProbe(DockerHostSpec Host, DockerHostFacts? Facts, string? Unreachable);
