using HomeLab.Spec.Shape;

namespace HomeLab.Review;

/// <summary>The words the diff reports (Markdown, text, JSON and stack terms) call each kind of change.</summary>
internal static class ChangeKindWords
{
    private static readonly StackWords<ChangeKind> Kinds = new(
        ("added", ChangeKind.Added), ("removed", ChangeKind.Removed), ("changed", ChangeKind.Changed));

    public static string Of(ChangeKind kind) => Kinds.Of(kind);
}
