using System.Text.Json;

using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.ProgramValidation;

/// <summary>Values against the provider schemas' types: scalars, enums, lists, maps and named object types.</summary>
internal sealed partial class ProgramValidator
{
    /// <summary>Checks <paramref name="node"/> against a schema type spec (<c>type</c> or <c>$ref</c>), recursing into lists and objects.</summary>
    private void Value(YamlNode node, JsonElement spec, string package, Site at)
    {
        if (Function(node) is ("fn::secret" or "fn::unsecret", var argument))
        {
            Value(argument, spec, package, at);
            return;
        }

        // Named types are resolved before the value is looked at, so each reference in it is checked once.
        var typeToken = "an inline object type";
        while (spec.TryGetProperty("$ref", out var reference))
        {
            switch (reference.GetString() ?? "")
            {
                case "pulumi.json#/Any" or "pulumi.json#/Json":
                    Walk(node, at);
                    return;
                case "pulumi.json#/Asset":
                    Expect(Expression(node, at).Kind is Kind.Asset or Kind.Archive or Kind.Any, node, at, "an asset (fn::fileAsset, fn::stringAsset, ...)");
                    return;
                case "pulumi.json#/Archive":
                    Expect(Expression(node, at).Kind is Kind.Archive or Kind.Any, node, at, "an archive (fn::fileArchive, fn::assetArchive, ...)");
                    return;
                case var named when schemas.Type(package, named) is { } type:
                    spec = type;
                    typeToken = named["#/types/".Length..];
                    break;
                case var unknown:
                    Error(at, node, $"the schema refers to '{unknown}', which the validator cannot resolve");
                    return;
            }
        }

        var (kind, literal) = Expression(node, at);
        if (kind is Kind.Any)
        {
            return;
        }

        var typeName = spec.TryGetProperty("type", out var t) ? t.GetString() : null;
        switch (typeName)
        {
            case "string":
                Expect(kind is Kind.String, node, at, "a string");
                if (literal is not null && spec.TryGetProperty("enum", out var choices)
                    && choices.EnumerateArray().Select(c => c.ToString()).ToList() is var allowed && !allowed.Contains(literal))
                {
                    Error(at, node, $"'{literal}' is not one of {string.Join(", ", allowed)}");
                }

                break;
            case "integer":
                Expect(kind is Kind.Number && IsInteger(node), node, at, "an integer");
                break;
            case "number":
                Expect(kind is Kind.Number, node, at, "a number");
                break;
            case "boolean":
                Expect(kind is Kind.Bool, node, at, "true or false");
                break;
            case "array" when node is YamlSequenceNode list:
                for (var i = 0; i < list.Children.Count; i++)
                {
                    Value(list.Children[i], spec.GetProperty("items"), package, at.Item(i));
                }

                break;
            case "object" when node is YamlMappingNode map && kind is Kind.Map:
                TypedObject(map, spec, typeToken, package, at);
                break;
            case "array" or "object":
                Expect(false, node, at, typeName == "array" ? "a list" : "a mapping");
                break;
            default:
                Error(at, node, $"the schema type '{typeName}' is not one the validator knows");
                break;
        }
    }

    private void TypedObject(YamlMappingNode map, JsonElement spec, string typeToken, string package, Site at)
    {
        if (spec.TryGetProperty("additionalProperties", out var element))
        {
            foreach (var (key, value) in Entries(map, at))
            {
                Value(value, element, package, at.Key(key));
            }
        }
        else if (spec.TryGetProperty("properties", out var properties))
        {
            var required = spec.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            Object(map, properties, required, $"the fields of {typeToken}", package, at);
        }
        else
        {
            Walk(map, at);
        }
    }
}
