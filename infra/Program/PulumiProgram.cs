namespace HomeLab.Program;

/// <summary>A whole Pulumi YAML program, as the compiler prints it.</summary>
/// <param name="FromStack">False for the plugin manifest, which no stack file stands behind.</param>
internal sealed record PulumiProgram(
    string Name,
    string Description,
    IReadOnlyList<ConfigParam> Config,
    IReadOnlyList<Resource> Resources,
    IReadOnlyList<Output> Outputs,
    bool FromStack = true);
