using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace HomeLab.Spec.Shape;

/// <summary>
/// The JSON Schema (draft 2020-12) of stack files, generated from <see cref="SpecShape"/>. Editors with the YAML
/// language server pick it up from the modeline at the top of each stack file. It emits only: type, properties,
/// additionalProperties, propertyNames, required, enum, items, oneOf, pattern, minimum, maximum and annotations.
/// </summary>
internal static class StackSchema
{
    public const string FileName = "homelab.schema.json";

    public static string Generate()
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://json-schema.org/draft/2020-12/schema");
            json.WriteString("$id", FileName);
            json.WriteString("title", "HomeLab stack file (stacks/<stack>.yaml)");
            WriteBody(json, SpecShape.Top);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Write(Utf8JsonWriter json, ValueShape shape, object? defaultValue = null)
    {
        json.WriteStartObject();
        WriteBody(json, shape);
        if (defaultValue is not null)
        {
            json.WritePropertyName("default");
            WriteScalar(json, defaultValue);
        }

        json.WriteEndObject();
    }

    private static void WriteBody(Utf8JsonWriter json, ValueShape shape)
    {
        json.WriteString("description", shape.Description);
        switch (shape)
        {
            case TextShape { Choices: { } choices }:
                // Choices may be YAML booleans or numbers (tls: false, keepAlive: -1), so no "type" beside the enum.
                json.WriteStartArray("enum");
                foreach (var choice in choices)
                {
                    WriteScalar(json, AsYamlScalar(choice));
                }

                json.WriteEndArray();
                break;
            case TextShape text:
                if (text.AnyScalar)
                {
                    json.WriteStartArray("type");
                    json.WriteStringValue("string");
                    json.WriteStringValue("number");
                    json.WriteStringValue("boolean");
                    json.WriteEndArray();
                }
                else
                {
                    json.WriteString("type", "string");
                }

                if (text.Pattern is { } pattern)
                {
                    json.WriteString("pattern", pattern);
                }

                break;
            case IntShape number:
                json.WriteString("type", "integer");
                json.WriteNumber("minimum", number.Min);
                json.WriteNumber("maximum", number.Max);
                break;
            case NumberShape number:
                json.WriteString("type", "number");
                json.WriteNumber("minimum", number.Min);
                json.WriteNumber("maximum", number.Max);
                break;
            case BoolShape:
                json.WriteString("type", "boolean");
                break;
            case ListShape list:
                json.WriteString("type", "array");
                json.WritePropertyName("items");
                Write(json, list.Items);
                break;
            case DictShape dict:
                json.WriteString("type", "object");
                json.WriteStartObject("propertyNames");
                json.WriteString("pattern", dict.KeyPattern);
                json.WriteEndObject();
                json.WritePropertyName("additionalProperties");
                Write(json, dict.Values);
                break;
            case OneOfShape oneOf:
                json.WriteStartArray("oneOf");
                foreach (var option in oneOf.Options)
                {
                    Write(json, option);
                }

                json.WriteEndArray();
                break;
            case MapShape map:
                json.WriteString("type", "object");
                json.WriteStartObject("properties");
                foreach (var field in map.Fields)
                {
                    json.WritePropertyName(field.Key);
                    Write(json, field.Shape, field.Default);
                }

                json.WriteEndObject();
                json.WriteBoolean("additionalProperties", false);
                if (map.Fields.Any(f => f.Required))
                {
                    json.WriteStartArray("required");
                    foreach (var field in map.Fields.Where(f => f.Required))
                    {
                        json.WriteStringValue(field.Key);
                    }

                    json.WriteEndArray();
                }

                break;
            default:
                throw new InvalidOperationException($"no schema for {shape.GetType().Name}");
        }
    }

    /// <summary>How the YAML language server reads a plain scalar: 'false' is a boolean, '-1' a number.</summary>
    private static object AsYamlScalar(string text) =>
        text switch
        {
            "true" => true,
            "false" => false,
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => number,
            _ => text,
        };

    private static void WriteScalar(Utf8JsonWriter json, object value)
    {
        switch (value)
        {
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case double number:
                json.WriteNumberValue(number);
                break;
            default:
                throw new InvalidOperationException($"no JSON form for a default of type {value.GetType().Name}");
        }
    }
}
