using System.Text.Json;
using System.Text.Json.Nodes;

using Json.Schema;

namespace HomeLab.Tests.Spec.Shape;

/// <summary>Runs JsonSchema.Net on an instance and lists each violation as "$.json.path: message".</summary>
internal static class SchemaErrors
{
    private static readonly EvaluationOptions Hierarchical = new() { OutputFormat = OutputFormat.Hierarchical };

    /// <summary>The generated stack schema, built once: JsonSchema.Net registers a schema by its $id and refuses a second one.</summary>
    public static JsonSchema StackSchema { get; } = JsonSchema.FromText(HomeLab.Spec.Shape.StackSchema.Generate());

    /// <summary>Every violation; empty when <paramref name="instance"/> is valid.</summary>
    public static IReadOnlyList<string> Of(JsonSchema schema, JsonNode? instance)
    {
        using var document = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        return Failures(schema.Evaluate(document.RootElement, Hierarchical)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The errors of failed nodes only: a passing node (say a oneOf with one matching branch) hides the errors of
    /// the branches that did not match.
    /// </summary>
    private static IEnumerable<string> Failures(EvaluationResults node)
    {
        if (node.IsValid)
        {
            yield break;
        }

        foreach (var (_, message) in node.Errors ?? new Dictionary<string, string>())
        {
            yield return $"{Path(node.InstanceLocation.ToString())}: {message}";
        }

        foreach (var failure in (node.Details ?? []).SelectMany(Failures))
        {
            yield return failure;
        }
    }

    /// <summary>A JSON Pointer (<c>/proxy/routes/0</c>) in the JSONPath form the tests name (<c>$.proxy.routes[0]</c>).</summary>
    private static string Path(string pointer) =>
        "$" + string.Concat(pointer.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(segment => segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))
            .Select(segment => segment.All(char.IsAsciiDigit) ? $"[{segment}]" : $".{segment}"));
}
