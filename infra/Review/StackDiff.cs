namespace HomeLab.Review;

/// <summary>What changed in one stack's program. <see cref="Presence"/> is set when the whole stack is new or gone.</summary>
internal sealed record StackDiff(
    string Stack,
    ChangeKind? Presence,
    IReadOnlyList<ResourceChange> Resources,
    IReadOnlyList<PropertyChange> Config,
    IReadOnlyList<PropertyChange> Outputs)
{
    /// <summary>What changed in the stack file's own terms (models, tuning, routes); empty when the stack is new or gone.</summary>
    public IReadOnlyList<SectionChange> Spec { get; init; } = [];

    public bool HasChanges => Presence is not null || Resources.Count > 0 || Config.Count > 0 || Outputs.Count > 0 || Spec.Count > 0;

    public int Count(ChangeKind kind) => Resources.Count(r => r.Kind == kind);
}
