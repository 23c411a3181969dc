namespace HomeLab.Spec;

/// <summary>A model an instance must serve: pulled by name, or created from a base (<see cref="From"/>).</summary>
internal sealed record ModelSpec(
    ModelName Name,
    ModelKind Kind,
    bool Warm,
    ModelName? From,
    string? System,
    IReadOnlyList<ModelParameter> Parameters,
    SourceMark At)
{
    public bool IsCustom => From is not null;
}
