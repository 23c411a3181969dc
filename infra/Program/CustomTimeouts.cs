namespace HomeLab.Program;

/// <summary>
/// The resource option 'customTimeouts': how long the engine lets the provider wait for a create or update, in
/// Go duration text ("30m"). Pulumi YAML passes them to the provider, whose await logic honours them.
/// </summary>
internal sealed record CustomTimeouts(string Create, string Update);
