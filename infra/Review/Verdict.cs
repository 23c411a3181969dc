namespace HomeLab.Review;

/// <summary>What deploying a change does to one resource and, for a replacement or a re-run, the property that causes it.</summary>
internal sealed record Verdict(Effect Effect, string? Because = null);
