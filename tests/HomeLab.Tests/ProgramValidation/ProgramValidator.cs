using HomeLab.Contracts;

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.ProgramValidation;

/// <summary>
/// Checks a Pulumi YAML program, as text, against what Pulumi YAML and the provider schemas accept: top-level
/// sections, config declarations, resource types, property names and types (nested types included), required
/// inputs, resource options, and every <c>${...}</c> reference. It reads the text the way Pulumi does
/// (go-yaml scalar rules, Pulumi's interpolation grammar) rather than trusting the compiler's own model.
/// It is stricter than Pulumi in two places, both on purpose: a number or boolean is not accepted where the
/// schema wants a string (Pulumi would coerce it, hiding a quoting bug), and null is not accepted as a value.
/// </summary>
internal sealed partial class ProgramValidator
{
    private static readonly string[] TopLevelKeys = ["name", "namespace", "description", "version", "pulumi", "configuration", "config", "variables", "resources", "outputs", "sdks", "components"];
    private static readonly string[] ConfigKeys = ["type", "name", "secret", "default", "value", "items"];

    private readonly ProviderSchemas schemas;
    private readonly List<ProgramError> errors = [];
    private readonly Dictionary<string, string> config = new(StringComparer.Ordinal);
    private readonly HashSet<string> variables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResourceContract?> resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> dependencies = new(StringComparer.Ordinal);
    private string project = "";

    private ProgramValidator(ProviderSchemas schemas) => this.schemas = schemas;

    private enum Kind
    {
        Null,
        Bool,
        Number,
        String,
        List,
        Map,
        Asset,
        Archive,
        Any,
    }

    public static IReadOnlyList<ProgramError> Validate(string program)
    {
        var validator = new ProgramValidator(ProviderSchemas.Committed);
        validator.Program(program);
        return validator.errors;
    }

    private void Program(string text)
    {
        var top = new Site("program", null, "");
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            errors.Add(new ProgramError("program", "", $"is not valid YAML: {e.Message}", e.Start.Line));
            return;
        }

        if (stream.Documents is not [{ RootNode: YamlMappingNode root } document])
        {
            errors.Add(new ProgramError("program", "", "must be one YAML document holding a mapping", 1));
            return;
        }

        // YamlDotNet resolves an alias to the anchored node itself, so an alias shows as a node met twice.
        foreach (var aliased in document.AllNodes.GroupBy(n => n, ReferenceEqualityComparer.Instance).Where(g => g.Count() > 1).Select(g => (YamlNode)g.Key!))
        {
            Error(top, aliased, $"uses the YAML alias '*{aliased.Anchor}', and Pulumi YAML refuses aliases");
        }

        foreach (var (key, value) in Entries(root, top))
        {
            if (!TopLevelKeys.Contains(key))
            {
                Unknown(top, value, key, "top-level section", TopLevelKeys);
            }
            else if (key is "name" or "description" && Literal(value) is null)
            {
                Error(top.Key(key), value, $"must be a plain string, not {Describe(value)}");
            }
        }

        project = Literal(Child(root, "name")) ?? "";
        // Pulumi merges 'configuration' into 'config'; an entry in 'config' wins.
        var configs = Section(root, "config", top);
        configs.AddRange(Section(root, "configuration", top).Where(c => !configs.Any(d => d.Key == c.Key)));
        var variableEntries = Section(root, "variables", top);
        var resourceEntries = Section(root, "resources", top);
        Declare(configs, variableEntries, resourceEntries);

        foreach (var (name, value) in configs)
        {
            Config(name, value);
        }

        foreach (var (name, value) in variableEntries)
        {
            Walk(value, new Site($"variable '{name}'", name, ""));
        }

        foreach (var (name, value) in resourceEntries)
        {
            Resource(name, value);
        }

        foreach (var (name, value) in Section(root, "outputs", top))
        {
            Walk(value, new Site($"output '{name}'", null, ""));
        }

        ReportCycles();
    }

    private void Declare(List<(string, YamlNode)> configs, List<(string, YamlNode)> variableEntries, List<(string, YamlNode)> resourceEntries)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string name, YamlNode node, string what)
        {
            if (!seen.Add(name))
            {
                Error(new Site($"{what} '{name}'", null, ""), node, "the name is declared twice (config keys, variables and resources share one namespace)");
            }
        }

        foreach (var (name, value) in configs)
        {
            Add(name, value, "config");
            config[name] = value is YamlMappingNode m && Literal(Child(m, "type")) is { } type ? type.ToLowerInvariant() : "";
        }

        foreach (var (name, value) in variableEntries)
        {
            Add(name, value, "variable");
            variables.Add(name);
        }

        foreach (var (name, value) in resourceEntries)
        {
            Add(name, value, "resource");
            resources[name] = Literal(Child(value as YamlMappingNode, "type")) is { } token ? schemas.Resource(token) : null;
        }
    }

    private void Config(string name, YamlNode value)
    {
        var at = new Site($"config '{name}'", null, "");
        if (value is not YamlMappingNode map)
        {
            // A bare value is Pulumi YAML's shorthand for a config entry with that value.
            Walk(value, at);
            return;
        }

        foreach (var (key, item) in Entries(map, at))
        {
            if (!ConfigKeys.Contains(key))
            {
                Unknown(at, item, key, "config field", ConfigKeys);
            }
        }

        var typeNode = Child(map, "type");
        var type = Literal(typeNode);
        if (typeNode is not null && (type is null || !IsConfigType(type)))
        {
            Error(at.Key("type"), typeNode, $"{Describe(typeNode)} is not a config type; use string, integer, boolean, number, object or List<T> (any capitalisation)");
        }
        else if (typeNode is null && Child(map, "default") is null)
        {
            Error(at, map, "has neither 'type' nor 'default', so Pulumi cannot infer its type");
        }

        if (Child(map, "secret") is { } secret && Expression(secret, at.Key("secret")).Kind is not Kind.Bool)
        {
            Error(at.Key("secret"), secret, $"must be true or false, not {Describe(secret)}");
        }

        if (Child(map, "default") is { } fallback && type is not null && IsConfigType(type))
        {
            var kind = Expression(fallback, at.Key("default")).Kind;
            var lower = type.ToLowerInvariant();
            var fits = kind is Kind.Any || lower switch
            {
                "string" => kind is Kind.String,
                "bool" or "boolean" => kind is Kind.Bool,
                "int" or "integer" => kind is Kind.Number && IsInteger(fallback),
                "number" => kind is Kind.Number,
                "object" => kind is Kind.Map,
                _ => kind is Kind.List,
            };
            if (!fits)
            {
                Error(at.Key("default"), fallback, $"{Describe(fallback)} does not match the declared type '{type}'");
            }
        }
    }

    /// <summary>Pulumi YAML's config types (pkg/pulumiyaml/config): case-insensitive, lists written List&lt;T&gt;.</summary>
    private static bool IsConfigType(string type)
    {
        var lower = type.ToLowerInvariant().Trim();
        return lower.StartsWith("list<", StringComparison.Ordinal) && lower.EndsWith('>')
            ? IsConfigType(lower[5..^1])
            : lower is "string" or "bool" or "boolean" or "number" or "int" or "integer" or "object";
    }
}
