namespace HomeLab.Program;

internal sealed record ResourceOptions(
    Ref? Provider = null,
    IReadOnlyList<Ref>? DependsOn = null,
    string? Version = null,
    IReadOnlyList<string>? ReplaceOnChanges = null,
    bool DeleteBeforeReplace = false,
    IReadOnlyList<string>? IgnoreChanges = null,
    IReadOnlyList<string>? AdditionalSecretOutputs = null,
    CustomTimeouts? CustomTimeouts = null);
