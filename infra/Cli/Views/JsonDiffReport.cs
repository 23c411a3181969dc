using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

using HomeLab.Review;

namespace HomeLab.Cli.Views;

/// <summary>Renders program diffs for tools: one JSON document, stacks with their counts, resources and properties. Pure.</summary>
internal static class JsonDiffReport
{
    public static string Render(DiffBase against, IReadOnlyList<StackDiff> stacks)
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
                json.WriteString("summary", DiffReport.Summary(stack));
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
                    json.WriteString("change", ChangeKindWords.Of(resource.Kind));
                    StackTermsReport.Json(json, resource);
                    Properties(json, "properties", resource.Properties);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                Properties(json, "config", stack.Config);
                Properties(json, "outputs", stack.Outputs);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Properties(Utf8JsonWriter json, string name, IReadOnlyList<PropertyChange> properties)
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
