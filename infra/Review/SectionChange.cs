namespace HomeLab.Review;

/// <summary>One setting of a stack file that differs, spelled as the stack file spells it; null where it is absent.</summary>
internal sealed record SettingChange(string Setting, string? Before, string? After);

/// <summary>What differs in one part of a stack file: a host, an instance, the proxy or the hooks.</summary>
internal sealed record SectionChange(string Section, ChangeKind Kind, IReadOnlyList<SettingChange> Settings);
