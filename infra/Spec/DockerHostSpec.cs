namespace HomeLab.Spec;

/// <summary>A Docker engine: the local one (<see cref="Ssh"/> null) or a remote one reached over SSH.</summary>
internal sealed record DockerHostSpec(string Name, string Address, SshEndpoint? Ssh, SourceMark At) : HostSpec(Name, Address, At)
{
    public bool IsLocal => Ssh is null;
}
