using HomeLab.Review;

namespace HomeLab.Cli.Views;

/// <summary>
/// Renders program diffs in the format asked for (<see cref="MarkdownDiffReport"/> for a pull-request comment,
/// <see cref="TextDiffReport"/> for a terminal, <see cref="JsonDiffReport"/> for tools), and the words every format
/// shares: a stack's summary and a change's symbol. Pure.
/// </summary>
internal static class DiffReport
{
    public static string Render(DiffFormat format, DiffBase against, IReadOnlyList<StackDiff> stacks) => format switch
    {
        DiffFormat.Markdown => MarkdownDiffReport.Render(against, stacks),
        DiffFormat.Text => TextDiffReport.Render(against, stacks),
        _ => JsonDiffReport.Render(against, stacks),
    };

    public static string Summary(StackDiff stack) => stack switch
    {
        { Presence: ChangeKind.Added } => $"new stack, {Plural(stack.Count(ChangeKind.Added), "resource")} to add",
        { Presence: ChangeKind.Removed } => $"stack removed, {Plural(stack.Count(ChangeKind.Removed), "resource")} to delete",
        { HasChanges: false } => "no changes",
        _ => $"{stack.Count(ChangeKind.Added)} to add, {stack.Count(ChangeKind.Changed)} to change, {stack.Count(ChangeKind.Removed)} to remove" +
            (stack.Config.Count + stack.Outputs.Count > 0 ? $", {Plural(stack.Config.Count + stack.Outputs.Count, "config/output change")}" : ""),
    };

    /// <summary>"1 change", "3 changes".</summary>
    public static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>The mark of a change in every format: + added, - removed, ~ changed.</summary>
    public static char Symbol(ChangeKind kind) => kind switch
    {
        ChangeKind.Added => '+',
        ChangeKind.Removed => '-',
        _ => '~',
    };
}
