namespace HomeLab.Spec;

internal abstract record HostSpec(string Name, string Address, SourceMark At);
