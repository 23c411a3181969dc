using System.Text;
using System.Text.Encodings.Web;

using HomeLab.Review;

namespace HomeLab.Cli.Views;

/// <summary>Renders program diffs as a pull-request comment (Markdown), within GitHub's size limit. Pure.</summary>
internal static class MarkdownDiffReport
{
    /// <summary>Marks the pull-request comment so CI updates it in place instead of adding one per push.</summary>
    public const string CommentMarker = "<!-- homelab-diff -->";

    /// <summary>GitHub refuses comments over 65,536 characters; above this the per-property details are dropped.</summary>
    public const int Budget = 60_000;

    public static string Render(DiffBase against, IReadOnlyList<StackDiff> stacks)
    {
        var full = Render(against, stacks, details: true);
        return full.Length <= Budget ? full : Render(against, stacks, details: false);
    }

    private static string Render(DiffBase against, IReadOnlyList<StackDiff> stacks, bool details)
    {
        var md = new StringBuilder();
        md.Append(CommentMarker).Append('\n');
        md.Append("## HomeLab program diff\n\n");
        md.Append("Stack files at ").Append(Code(against.Ref)).Append(" (").Append(Code(against.Short)).Append(") and in this change, both compiled by this change's compiler ")
            .Append("(a change to the compiler itself shows in the Pulumi preview).\n\n");
        md.Append("**Summary:** ").Append(stacks.Count == 0 ? "no stacks" : string.Join(" · ", stacks.Select(s => $"{Code(s.Stack)}: {DiffReport.Summary(s)}"))).Append('\n');
        if (!details)
        {
            md.Append("\n_The full diff is too long for a comment; run `homelab diff --format text` locally for every property._\n");
        }

        foreach (var stack in stacks.Where(s => s.HasChanges))
        {
            md.Append("\n### ").Append(Code(stack.Stack)).Append(" — ").Append(DiffReport.Summary(stack)).Append('\n');
            if (stack.Presence is null)
            {
                md.Append("\n**Deploying it:** ").Append(StackTermsReport.Consequences(stack)).Append('\n');
            }

            StackTermsReport.Markdown(md, stack);
            if (stack.Resources.Count > 0)
            {
                md.Append("\n| | resource | type | properties | deploy |\n| --- | --- | --- | --- | --- |\n");
                foreach (var resource in stack.Resources)
                {
                    md.Append("| ").Append(DiffReport.Symbol(resource.Kind)).Append(" | ").Append(Code(resource.Name)).Append(" | ").Append(Code(resource.Type)).Append(" | ")
                        .Append(resource.Kind is ChangeKind.Changed ? DiffReport.Plural(resource.Properties.Count, "change") : ChangeKindWords.Of(resource.Kind)).Append(" | ")
                        .Append(resource.Kind is ChangeKind.Changed ? StackTermsReport.Describe(resource.Verdict, resource.Type).Replace("|", "\\|", StringComparison.Ordinal) : "").Append(" |\n");
                }
            }

            foreach (var resource in stack.Resources.Where(r => r.Kind is ChangeKind.Changed))
            {
                md.Append("\n**~ ").Append(Code(resource.Name)).Append("**\n");
                if (details)
                {
                    Properties(md, resource.Properties);
                }
            }

            if (details)
            {
                foreach (var resource in stack.Resources.Where(r => r.Kind is not ChangeKind.Changed))
                {
                    md.Append("\n<details><summary>").Append(DiffReport.Symbol(resource.Kind)).Append(" <code>").Append(Html(resource.Name)).Append("</code> ")
                        .Append(resource.Kind is ChangeKind.Added ? "properties" : "properties before removal").Append("</summary>\n");
                    Properties(md, resource.Properties, oneSided: true);
                    md.Append("\n</details>\n");
                }
            }

            if (stack.Config.Count > 0)
            {
                md.Append("\n**Config**\n");
                Properties(md, stack.Config);
            }

            if (stack.Outputs.Count > 0)
            {
                md.Append("\n**Outputs**\n");
                Properties(md, stack.Outputs);
            }
        }

        return md.ToString();
    }

    /// <summary>Properties as a table; <paramref name="oneSided"/> for a resource that exists on one side only.</summary>
    private static void Properties(StringBuilder md, IReadOnlyList<PropertyChange> properties, bool oneSided = false)
    {
        var simple = properties.Where(p => p.Lines is null).ToList();
        if (simple.Count > 0)
        {
            md.Append(oneSided ? "\n| property | value |\n| --- | --- |\n" : "\n| property | before | after |\n| --- | --- | --- |\n");
            foreach (var p in simple)
            {
                md.Append("| ").Append(Code(p.Path)).Append(" | ");
                if (oneSided)
                {
                    md.Append(Code((p.Before ?? p.After)!));
                }
                else
                {
                    md.Append(p.Before is null ? "_(none)_" : Code(p.Before)).Append(" | ").Append(p.After is null ? "_(none)_" : Code(p.After));
                }

                md.Append(" |\n");
            }
        }

        foreach (var p in properties.Where(p => p.Lines is not null))
        {
            var fence = new string('`', Math.Max(3, LongestRun(p.Lines!, '`') + 1));
            md.Append('\n').Append(Code(p.Path)).Append(":\n\n").Append(fence).Append("diff\n");
            foreach (var line in p.Lines!)
            {
                md.Append(line).Append('\n');
            }

            md.Append(fence).Append('\n');
        }
    }

    /// <summary>An inline code span that survives any content inside a table cell.</summary>
    public static string Code(string text)
    {
        var cell = text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        var ticks = new string('`', LongestRun([cell], '`') + 1);
        var pad = cell.StartsWith('`') || cell.EndsWith('`') ? " " : "";
        return ticks + pad + cell + pad + ticks;
    }

    private static int LongestRun(IEnumerable<string> lines, char c)
    {
        var longest = 0;
        foreach (var line in lines)
        {
            var run = 0;
            foreach (var ch in line)
            {
                run = ch == c ? run + 1 : 0;
                longest = Math.Max(longest, run);
            }
        }

        return longest;
    }

    private static string Html(string text) => HtmlEncoder.Default.Encode(text);
}
