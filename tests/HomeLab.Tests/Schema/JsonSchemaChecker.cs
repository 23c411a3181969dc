using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HomeLab.Tests.Schema;

/// <summary>
/// A JSON Schema checker for exactly the keywords the stack schema generator emits. Any other keyword throws, so
/// the generator cannot start relying on one that these tests would silently ignore.
/// </summary>
internal static class JsonSchemaChecker
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "title", "description", "default"];
    private static readonly string[] TypeNames = ["object", "array", "string", "boolean", "integer", "number"];

    /// <summary>Every violation as "path: problem"; empty when <paramref name="instance"/> is valid.</summary>
    public static IReadOnlyList<string> Check(JsonNode schema, JsonNode? instance)
    {
        var errors = new List<string>();
        Check(schema.AsObject(), instance, "$", errors);
        return errors;
    }

    private static void Check(JsonObject schema, JsonNode? instance, string path, List<string> errors)
    {
        foreach (var (keyword, value) in schema)
        {
            if (Annotations.Contains(keyword))
            {
                continue;
            }

            switch (keyword)
            {
                case "type":
                    var types = value is JsonArray list ? list.Select(t => t!.GetValue<string>()).ToList() : [value!.GetValue<string>()];
                    if (!types.Any(t => HasType(instance, t)))
                    {
                        errors.Add($"{path}: expected {string.Join(" or ", types)}, found {TypeOf(instance)}");
                    }

                    break;
                case "enum":
                    if (!value!.AsArray().Any(choice => JsonNode.DeepEquals(choice, instance)))
                    {
                        errors.Add($"{path}: {instance?.ToJsonString() ?? "null"} is not one of {value.ToJsonString()}");
                    }

                    break;
                case "pattern":
                    if (instance?.GetValueKind() == JsonValueKind.String && instance.GetValue<string>() is var text && !Regex.IsMatch(text, value!.GetValue<string>(), RegexOptions.None, TimeSpan.FromSeconds(1)))
                    {
                        errors.Add($"{path}: '{text}' does not match {value}");
                    }

                    break;
                case "minimum":
                    if (Number(instance) is { } low && low < value!.GetValue<double>())
                    {
                        errors.Add($"{path}: {low.ToString(CultureInfo.InvariantCulture)} is below {value}");
                    }

                    break;
                case "maximum":
                    if (Number(instance) is { } high && high > value!.GetValue<double>())
                    {
                        errors.Add($"{path}: {high.ToString(CultureInfo.InvariantCulture)} is above {value}");
                    }

                    break;
                case "properties":
                    if (instance is JsonObject target)
                    {
                        foreach (var (name, propertySchema) in value!.AsObject())
                        {
                            if (target.TryGetPropertyValue(name, out var property))
                            {
                                Check(propertySchema!.AsObject(), property, $"{path}.{name}", errors);
                            }
                        }
                    }

                    break;
                case "additionalProperties":
                    if (instance is JsonObject open)
                    {
                        var declared = schema["properties"]?.AsObject().Select(p => p.Key).ToHashSet() ?? [];
                        foreach (var (name, property) in open.Where(p => !declared.Contains(p.Key)))
                        {
                            if (value is JsonValue flag && !flag.GetValue<bool>())
                            {
                                errors.Add($"{path}: unknown key '{name}'");
                            }
                            else if (value is JsonObject extra)
                            {
                                Check(extra, property, $"{path}.{name}", errors);
                            }
                        }
                    }

                    break;
                case "propertyNames":
                    if (instance is JsonObject named)
                    {
                        foreach (var (name, _) in named)
                        {
                            Check(value!.AsObject(), JsonValue.Create(name), $"{path} key '{name}'", errors);
                        }
                    }

                    break;
                case "required":
                    if (instance is JsonObject required)
                    {
                        foreach (var name in value!.AsArray().Select(n => n!.GetValue<string>()).Where(n => !required.ContainsKey(n)))
                        {
                            errors.Add($"{path}: required key '{name}' is missing");
                        }
                    }

                    break;
                case "items":
                    if (instance is JsonArray items)
                    {
                        for (var i = 0; i < items.Count; i++)
                        {
                            Check(value!.AsObject(), items[i], $"{path}[{i}]", errors);
                        }
                    }

                    break;
                case "oneOf" or "anyOf":
                    var matches = value!.AsArray().Count(option => Check(option!, instance).Count == 0);
                    if (matches == 0 || (keyword == "oneOf" && matches > 1))
                    {
                        errors.Add($"{path}: matches {matches} of the {keyword} alternatives");
                    }

                    break;
                default:
                    throw new NotSupportedException($"the schema uses '{keyword}', which this checker does not implement");
            }
        }
    }

    private static bool HasType(JsonNode? node, string type) => type switch
    {
        "object" => node is JsonObject,
        "array" => node is JsonArray,
        "string" => node?.GetValueKind() == JsonValueKind.String,
        "boolean" => node?.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "integer" => Number(node) is { } n && Math.Floor(n) == n,
        "number" => Number(node) is not null,
        "null" => node is null,
        _ => throw new NotSupportedException($"type '{type}'"),
    };

    private static string TypeOf(JsonNode? node) =>
        node is null ? "null" : TypeNames.First(t => HasType(node, t));

    private static double? Number(JsonNode? node) =>
        node?.GetValueKind() == JsonValueKind.Number ? double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture) : null;
}
