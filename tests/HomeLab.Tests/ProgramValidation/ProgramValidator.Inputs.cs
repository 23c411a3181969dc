using System.Text.Json;

using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.ProgramValidation;

/// <summary>The properties of a resource or object type: each one declared by the schema, every required one present.</summary>
internal sealed partial class ProgramValidator
{
    private void Object(YamlMappingNode map, JsonElement properties, IReadOnlyList<string> required, string what, string package, Site at)
    {
        foreach (var (key, value) in Entries(map, at))
        {
            if (properties.TryGetProperty(key, out var spec))
            {
                Value(value, spec, package, at.Key(key));
            }
            else
            {
                Error(at.Key(key), value, $"'{key}' is not one of {what}{DidYouMean(key, properties.EnumerateObject().Select(p => p.Name))}");
                Walk(value, at.Key(key));
            }
        }

        foreach (var missing in required.Where(name => Child(map, name) is null))
        {
            Error(at, map, $"required property '{missing}' is missing");
        }
    }
}
