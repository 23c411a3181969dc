namespace HomeLab.Review;

internal sealed record ResourceChange(string Name, string Type, ChangeKind Kind, IReadOnlyList<PropertyChange> Properties)
{
    /// <summary>Replaced or updated in place, and why; set by <see cref="ReplacementJudge"/>.</summary>
    public Verdict? Verdict { get; init; }
}
