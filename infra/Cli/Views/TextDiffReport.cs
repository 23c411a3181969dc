using System.Text;

using HomeLab.Review;

namespace HomeLab.Cli.Views;

/// <summary>Renders program diffs for a terminal: one line per resource, its changed properties indented below. Pure.</summary>
internal static class TextDiffReport
{
    public static string Render(DiffBase against, IReadOnlyList<StackDiff> stacks)
    {
        var text = new StringBuilder();
        text.Append("stack files at ").Append(against.Ref).Append(" (").Append(against.Short).Append(") and now, both compiled by this compiler\n");
        foreach (var stack in stacks)
        {
            text.Append('\n').Append(stack.Stack).Append(": ").Append(DiffReport.Summary(stack)).Append('\n');
            if (stack.Presence is null && stack.HasChanges)
            {
                text.Append("  deploying it: ").Append(StackTermsReport.Consequences(stack)).Append('\n');
            }

            StackTermsReport.Text(text, stack);
            foreach (var resource in stack.Resources)
            {
                text.Append("  ").Append(DiffReport.Symbol(resource.Kind)).Append(' ').Append(resource.Name).Append(" (").Append(resource.Type).Append(')')
                    .Append(resource.Kind is ChangeKind.Changed ? " — " + StackTermsReport.Describe(resource.Verdict, resource.Type) : "").Append('\n');
                if (resource.Kind is ChangeKind.Changed)
                {
                    Properties(text, resource.Properties, "      ");
                }
            }

            if (stack.Config.Count > 0)
            {
                text.Append("  config:\n");
                Properties(text, stack.Config, "      ");
            }

            if (stack.Outputs.Count > 0)
            {
                text.Append("  outputs:\n");
                Properties(text, stack.Outputs, "      ");
            }
        }

        return text.ToString();
    }

    private static void Properties(StringBuilder text, IReadOnlyList<PropertyChange> properties, string indent)
    {
        foreach (var p in properties)
        {
            text.Append(indent).Append(p.Path).Append(':');
            if (p.Lines is { } lines)
            {
                text.Append('\n');
                foreach (var line in lines)
                {
                    text.Append(indent).Append("  ").Append(line).Append('\n');
                }
            }
            else
            {
                text.Append(' ').Append(p.Before ?? "(none)").Append(" → ").Append(p.After ?? "(none)").Append('\n');
            }
        }
    }
}
