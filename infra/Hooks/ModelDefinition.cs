using System.Globalization;
using System.Text;
using System.Text.Json;

using HomeLab.Conventions;
using HomeLab.Spec;

using OllamaSharp.Models;

namespace HomeLab.Hooks;

/// <summary>
/// A custom model's definition (base, system prompt, parameters) as declared and as Ollama stores it. Ollama keeps
/// the definition itself (<c>/api/show</c>: <c>details.parent_model</c>, <c>system</c>, <c>parameters</c>), so that
/// record is compared instead of a side file that could drift: a model is re-created only when they differ.
/// </summary>
internal static class ModelDefinition
{
    /// <summary>
    /// Parameters as Ollama's create API wants them, in the JSON types its options have (api/types.go Options):
    /// integers and floats as numbers, use_mmap as a boolean, stop as a list of strings.
    /// </summary>
    public static IReadOnlyDictionary<string, object> Parameters(ModelSpec model)
    {
        var result = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var parameter in model.Parameters)
        {
            result[parameter.Name] = parameter.Type switch
            {
                ParameterType.Integer => (object)long.Parse(parameter.Values[0], CultureInfo.InvariantCulture),
                ParameterType.Float => parameter.Number,
                ParameterType.Boolean => parameter.Flag,
                _ => parameter.Values.ToArray(),
            };
        }

        return result;
    }

    /// <summary>A digest of the declared definition, shown in the report so an operator can tell versions apart.</summary>
    public static string Hash(ModelSpec model)
    {
        var text = new StringBuilder();
        text.Append("from=").Append(model.From?.Shortest ?? "").Append('\n');
        text.Append("system=").Append(model.System ?? "").Append('\n');
        foreach (var parameter in model.Parameters)
        {
            text.Append(parameter.Name).Append('=').Append(parameter.Text).Append('\n');
        }

        return ContentDigest.Of(text.ToString());
    }

    /// <summary>
    /// Why the stored model differs from the declaration, or nothing when it matches. Ollama merges a create's
    /// parameters over the base's and keeps the base's system prompt when none is given, so the expectation does too.
    /// </summary>
    public static IReadOnlyList<string> Differences(ModelSpec declared, ShowModelResponse? baseModel, ShowModelResponse stored)
    {
        var differences = new List<string>();
        var parent = stored.Details?.ParentModel;
        if (string.IsNullOrEmpty(parent))
        {
            differences.Add("Ollama does not say which base it was built from");
        }
        else if (!ModelName.Parse(parent).Equals(declared.From))
        {
            differences.Add($"it is built from '{parent}', not '{declared.From}'");
        }

        var expectedSystem = declared.System ?? baseModel?.System ?? "";
        if (expectedSystem.TrimEnd() != (stored.System ?? "").TrimEnd())
        {
            differences.Add("its system prompt differs");
        }

        var expected = ParseParameters(baseModel?.Parameters);
        foreach (var parameter in declared.Parameters)
        {
            expected[parameter.Name] = [.. parameter.Values];
        }

        var actual = ParseParameters(stored.Parameters);
        foreach (var key in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            var want = expected.GetValueOrDefault(key) ?? [];
            var have = actual.GetValueOrDefault(key) ?? [];
            if (want.Count != have.Count || want.Zip(have).Any(pair => !SameValue(pair.First, pair.Second)))
            {
                differences.Add($"parameter {key} is {Show(have)}, declared {Show(want)}");
            }
        }

        return differences;
    }

    /// <summary>
    /// Reads <c>/api/show</c>'s parameters text: one 'name value' per line, the name padded, string values quoted Go-style
    /// and list values (stop) repeated on several lines.
    /// </summary>
    public static Dictionary<string, List<string>> ParseParameters(string? text)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.Trim();
            var space = line.IndexOfAny([' ', '\t']);
            if (line.Length == 0 || space < 0)
            {
                continue;
            }

            var key = line[..space];
            var value = line[space..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                try
                {
                    value = JsonSerializer.Deserialize(value, HookJson.Default.String) ?? value;
                }
                catch (JsonException)
                {
                    value = value[1..^1];
                }
            }

            if (!result.TryGetValue(key, out var values))
            {
                result[key] = values = [];
            }

            values.Add(value);
        }

        return result;
    }

    private static bool SameValue(string a, string b) =>
        a == b || (double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
            && (x.Equals(y) || (float)x == (float)y));

    private static string Show(List<string> values) => values.Count switch
    {
        0 => "unset",
        1 => values[0],
        _ => "[" + string.Join(", ", values) + "]",
    };
}
