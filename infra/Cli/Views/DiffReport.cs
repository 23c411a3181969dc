using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

using HomeLab.Review;

namespace HomeLab.Cli.Views;

/// <summary>Renders program diffs for a pull-request comment (Markdown), a terminal (text) or tools (JSON). Pure.</summary>
internal static class DiffReport
{
    /// <summary>Marks the pull-request comment so CI updates it in place instead of adding one per push.</summary>
    public const string CommentMarker = "<!-- homelab-diff -->";

    /// <summary>GitHub refuses comments over 65,536 characters; above this the per-property details are dropped.</summary>
    public const int MarkdownBudget = 60_000;

    public static string Render(DiffFormat format, DiffBase against, IReadOnlyList<StackDiff> stacks) => format switch
    {
        DiffFormat.Markdown => Markdown(against, stacks),
        DiffFormat.Text => Text(against, stacks),
        _ => Json(against, stacks),
    };

    public static string Summary(StackDiff stack) => stack switch
    {
        { Presence: ChangeKind.Added } => $"new stack, {Plural(stack.Count(ChangeKind.Added), "resource")} to add",
        { Presence: ChangeKind.Removed } => $"stack removed, {Plural(stack.Count(ChangeKind.Removed), "resource")} to delete",
        { HasChanges: false } => "no changes",
        _ => $"{stack.Count(ChangeKind.Added)} to add, {stack.Count(ChangeKind.Changed)} to change, {stack.Count(ChangeKind.Removed)} to remove" +
            (stack.Config.Count + stack.Outputs.Count > 0 ? $", {Plural(stack.Config.Count + stack.Outputs.Count, "config/output change")}" : ""),
    };

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Symbol(ChangeKind kind) => kind switch
    {
        ChangeKind.Added => "+",
        ChangeKind.Removed => "-",
        _ => "~",
    };

    private static string Markdown(DiffBase against, IReadOnlyList<StackDiff> stacks)
    {
        var full = Markdown(against, stacks, details: true);
        return full.Length <= MarkdownBudget ? full : Markdown(against, stacks, details: false);
    }

    private static string Markdown(DiffBase against, IReadOnlyList<StackDiff> stacks, bool details)
    {
        var md = new StringBuilder();
        md.Append(CommentMarker).Append('\n');
        md.Append("## HomeLab program diff\n\n");
        md.Append("Stack files at ").Append(Code(against.Ref)).Append(" (").Append(Code(against.Short)).Append(") and in this change, both compiled by this change's compiler ")
            .Append("(a change to the compiler itself shows in the Pulumi preview).\n\n");
        md.Append("**Summary:** ").Append(stacks.Count == 0 ? "no stacks" : string.Join(" · ", stacks.Select(s => $"{Code(s.Stack)}: {Summary(s)}"))).Append('\n');
        if (!details)
        {
            md.Append("\n_The full diff is too long for a comment; run `homelab diff --format text` locally for every property._\n");
        }

        foreach (var stack in stacks.Where(s => s.HasChanges))
        {
            md.Append("\n### ").Append(Code(stack.Stack)).Append(" — ").Append(Summary(stack)).Append('\n');
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
                    md.Append("| ").Append(Symbol(resource.Kind)).Append(" | ").Append(Code(resource.Name)).Append(" | ").Append(Code(resource.Type)).Append(" | ")
                        .Append(resource.Kind is ChangeKind.Changed ? Plural(resource.Properties.Count, "change") : resource.Kind.ToString().ToLowerInvariant()).Append(" | ")
                        .Append(resource.Kind is ChangeKind.Changed ? StackTermsReport.Describe(resource.Verdict, resource.Type).Replace("|", "\\|", StringComparison.Ordinal) : "").Append(" |\n");
                }
            }

            foreach (var resource in stack.Resources.Where(r => r.Kind is ChangeKind.Changed))
            {
                md.Append("\n**~ ").Append(Code(resource.Name)).Append("**\n");
                if (details)
                {
                    MarkdownProperties(md, resource.Properties);
                }
            }

            if (details)
            {
                foreach (var resource in stack.Resources.Where(r => r.Kind is not ChangeKind.Changed))
                {
                    md.Append("\n<details><summary>").Append(Symbol(resource.Kind)).Append(" <code>").Append(Html(resource.Name)).Append("</code> ")
                        .Append(resource.Kind is ChangeKind.Added ? "properties" : "properties before removal").Append("</summary>\n");
                    MarkdownProperties(md, resource.Properties, oneSided: true);
                    md.Append("\n</details>\n");
                }
            }

            if (stack.Config.Count > 0)
            {
                md.Append("\n**Config**\n");
                MarkdownProperties(md, stack.Config);
            }

            if (stack.Outputs.Count > 0)
            {
                md.Append("\n**Outputs**\n");
                MarkdownProperties(md, stack.Outputs);
            }
        }

        return md.ToString();
    }

    /// <summary>Properties as a table; <paramref name="oneSided"/> for a resource that exists on one side only.</summary>
    private static void MarkdownProperties(StringBuilder md, IReadOnlyList<PropertyChange> properties, bool oneSided = false)
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
    internal static string Code(string text)
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

    private static string Text(DiffBase against, IReadOnlyList<StackDiff> stacks)
    {
        var text = new StringBuilder();
        text.Append("stack files at ").Append(against.Ref).Append(" (").Append(against.Short).Append(") and now, both compiled by this compiler\n");
        foreach (var stack in stacks)
        {
            text.Append('\n').Append(stack.Stack).Append(": ").Append(Summary(stack)).Append('\n');
            if (stack.Presence is null && stack.HasChanges)
            {
                text.Append("  deploying it: ").Append(StackTermsReport.Consequences(stack)).Append('\n');
            }

            StackTermsReport.Text(text, stack);
            foreach (var resource in stack.Resources)
            {
                text.Append("  ").Append(Symbol(resource.Kind)).Append(' ').Append(resource.Name).Append(" (").Append(resource.Type).Append(')')
                    .Append(resource.Kind is ChangeKind.Changed ? " — " + StackTermsReport.Describe(resource.Verdict, resource.Type) : "").Append('\n');
                if (resource.Kind is ChangeKind.Changed)
                {
                    TextProperties(text, resource.Properties, "      ");
                }
            }

            if (stack.Config.Count > 0)
            {
                text.Append("  config:\n");
                TextProperties(text, stack.Config, "      ");
            }

            if (stack.Outputs.Count > 0)
            {
                text.Append("  outputs:\n");
                TextProperties(text, stack.Outputs, "      ");
            }
        }

        return text.ToString();
    }

    private static void TextProperties(StringBuilder text, IReadOnlyList<PropertyChange> properties, string indent)
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

    private static string Json(DiffBase against, IReadOnlyList<StackDiff> stacks)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("base");
            json.WriteString("ref", against.Ref);
            json.WriteString("commit", against.Commit);
            json.WriteEndObject();
            json.WriteBoolean("changed", stacks.Any(s => s.HasChanges));
            json.WriteStartArray("stacks");
            foreach (var stack in stacks)
            {
                json.WriteStartObject();
                json.WriteString("stack", stack.Stack);
                json.WriteString("status", stack.Presence switch
                {
                    ChangeKind.Added => "added",
                    ChangeKind.Removed => "removed",
                    _ => stack.HasChanges ? "changed" : "unchanged",
                });
                json.WriteString("summary", Summary(stack));
                json.WriteNumber("add", stack.Count(ChangeKind.Added));
                json.WriteNumber("change", stack.Count(ChangeKind.Changed));
                json.WriteNumber("remove", stack.Count(ChangeKind.Removed));
                StackTermsReport.Json(json, stack);
                json.WriteStartArray("resources");
                foreach (var resource in stack.Resources)
                {
                    json.WriteStartObject();
                    json.WriteString("name", resource.Name);
                    json.WriteString("type", resource.Type);
                    json.WriteString("change", resource.Kind.ToString().ToLowerInvariant());
                    StackTermsReport.Json(json, resource);
                    JsonProperties(json, "properties", resource.Properties);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                JsonProperties(json, "config", stack.Config);
                JsonProperties(json, "outputs", stack.Outputs);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void JsonProperties(Utf8JsonWriter json, string name, IReadOnlyList<PropertyChange> properties)
    {
        json.WriteStartArray(name);
        foreach (var p in properties)
        {
            json.WriteStartObject();
            json.WriteString("path", p.Path);
            if (p.Lines is { } lines)
            {
                json.WriteStartArray("lines");
                foreach (var line in lines)
                {
                    json.WriteStringValue(line);
                }

                json.WriteEndArray();
            }
            else
            {
                json.WriteString("before", p.Before);
                json.WriteString("after", p.After);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
