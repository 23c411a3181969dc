namespace HomeLab.Review;

/// <summary>What differs in one part of a stack file: a host, an instance, the proxy or the hooks.</summary>
internal sealed record SectionChange(string Section, ChangeKind Kind, IReadOnlyList<SettingChange> Settings);
