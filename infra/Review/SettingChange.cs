namespace HomeLab.Review;

/// <summary>One setting of a stack file that differs, spelled as the stack file spells it; null where it is absent.</summary>
internal sealed record SettingChange(string Setting, string? Before, string? After);
