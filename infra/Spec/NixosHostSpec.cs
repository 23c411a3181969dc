namespace HomeLab.Spec;

/// <summary>A NixOS machine rebuilt over SSH from the HomeLab module and the values the compiler writes.</summary>
internal sealed record NixosHostSpec(
    string Name,
    string Address,
    NixosSsh Ssh,
    string ModuleDir,
    RebuildMode Rebuild,
    bool Sudo,
    SourceMark At) : HostSpec(Name, Address, At);
