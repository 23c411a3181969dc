using System.Text.Json;
using System.Text.RegularExpressions;

using HomeLab.Contracts;
using HomeLab.Spec;

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.ProgramValidation;

/// <summary>One thing Pulumi would refuse (or silently misread) in a program: where it is and what is wrong.</summary>
internal sealed record ProgramError(string Subject, string Path, string Problem, long Line)
{
    public override string ToString() => $"{Subject}{(Path.Length > 0 ? " " + Path : "")}: {Problem} (line {Line})";
}

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
    private static readonly string[] ResourceKeys = ["type", "name", "defaultProvider", "properties", "options", "get", "condition", "metadata"];
    private static readonly string[] ConfigKeys = ["type", "name", "secret", "default", "value", "items"];
    private static readonly string[] OptionKeys =
    [
        "additionalSecretOutputs", "aliases", "customTimeouts", "deleteBeforeReplace", "dependsOn", "ignoreChanges", "import", "parent", "protect", "provider",
        "providers", "version", "pluginDownloadURL", "replaceOnChanges", "retainOnDelete", "replaceWith", "deletedWith", "hideDiffs", "replacementTrigger", "envVarMappings",
    ];

    private static readonly string[] AliasKeys = ["name", "noParent", "parent", "project", "stack", "type", "urn"];
    private static readonly string[] TimeoutKeys = ["create", "update", "delete", "read"];
    private static readonly string[] PulumiBuiltins = ["cwd", "organization", "project", "rootDirectory", "stack"];
    private static readonly string[] StringFunctions = ["fn::join", "fn::tojson", "fn::tobase64", "fn::frombase64", "fn::readfile", "fn::filebase64", "fn::filebase64sha256", "fn::sha1", "fn::pulumiresourcename", "fn::pulumiresourcetype"];
    private static readonly string[] AnyFunctions = ["fn::invoke", "fn::select", "fn::split", "fn::stackreference", "fn::singleornone", "fn::secret", "fn::unsecret"];
    private static readonly string[] AssetFunctions = ["fn::stringasset", "fn::fileasset", "fn::remoteasset"];
    private static readonly string[] ArchiveFunctions = ["fn::filearchive", "fn::remotearchive", "fn::assetarchive"];

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

    private void Resource(string name, YamlNode node)
    {
        var at = new Site($"resource '{name}'", name, "");
        if (node is not YamlMappingNode map)
        {
            Error(at, node, $"must be a mapping with 'type:' and 'properties:', not {Describe(node)}");
            return;
        }

        foreach (var (key, value) in Entries(map, at))
        {
            if (!ResourceKeys.Contains(key))
            {
                Unknown(at, value, key, "resource field", ResourceKeys);
            }
        }

        var typeNode = Child(map, "type");
        var token = Literal(typeNode);
        var schema = resources[name];
        if (token is null)
        {
            Error(at.Key("type"), typeNode ?? map, typeNode is null ? "has no 'type'" : $"type must be a plain string, not {Describe(typeNode)}");
        }
        else if (schema is null)
        {
            Error(at.Key("type"), typeNode!, $"unknown resource type '{token}': neither the docker nor the command package schema declares it");
        }

        var properties = Child(map, "properties");
        if (schema is not null && (properties is null || (properties is YamlMappingNode && Function(properties) is null)))
        {
            Object(properties as YamlMappingNode ?? [], schema.Inputs, schema.RequiredInputs, $"the inputs of {schema.Token}", schema.Package, at.Key("properties"));
        }
        else if (properties is not null)
        {
            Walk(properties, at.Key("properties"));
        }

        if (Child(map, "defaultProvider") is { } defaultProvider && Expression(defaultProvider, at.Key("defaultProvider")).Kind is not Kind.Bool)
        {
            Error(at.Key("defaultProvider"), defaultProvider, $"must be true or false, not {Describe(defaultProvider)}");
        }

        if (Child(map, "get") is { } get)
        {
            Walk(get, at.Key("get"));
        }

        if (Child(map, "options") is { } options)
        {
            Options(options, schema, at.Key("options"));
        }
    }

    private void Options(YamlNode node, ResourceContract? schema, Site at)
    {
        if (node is not YamlMappingNode map)
        {
            Error(at, node, $"must be a mapping, not {Describe(node)}");
            return;
        }

        foreach (var (key, value) in Entries(map, at))
        {
            var option = at.Key(key);
            switch (key)
            {
                case "provider":
                    ResourceRef(value, option, provider: true, schema);
                    break;
                case "providers":
                    var providers = value switch
                    {
                        YamlSequenceNode list => list.Children.Select((item, i) => (item, option.Item(i))),
                        YamlMappingNode byPackage => Entries(byPackage, option).Select(e => (e.Value, option.Key(e.Key))),
                        _ => null,
                    };
                    if (providers is null)
                    {
                        Error(option, value, $"must be a list or a mapping of provider references, not {Describe(value)}");
                    }

                    foreach (var (item, site) in providers ?? [])
                    {
                        ResourceRef(item, site, provider: true, null);
                    }

                    break;
                case "dependsOn" or "replaceWith":
                    ForEachItem(value, option, (item, site) => ResourceRef(item, site, provider: false, null));
                    break;
                case "parent" or "deletedWith":
                    ResourceRef(value, option, provider: false, null);
                    break;
                case "version":
                    if (Literal(value) is not { } version || !SemVer().IsMatch(version))
                    {
                        Error(option, value, $"must be a plain semantic version string such as 5.1.0, not {Describe(value)}");
                    }

                    break;
                case "pluginDownloadURL" or "import":
                    if (Literal(value) is null)
                    {
                        Error(option, value, $"must be a plain string, not {Describe(value)}");
                    }

                    break;
                case "deleteBeforeReplace" or "retainOnDelete":
                    if (value is not YamlScalarNode scalar || PulumiYaml.Scalar(scalar).Kind is not ScalarKind.Bool)
                    {
                        Error(option, value, $"must be true or false, not {Describe(value)}");
                    }

                    break;
                case "protect":
                    if (Expression(value, option).Kind is not (Kind.Bool or Kind.Any))
                    {
                        Error(option, value, $"must be true, false or an expression, not {Describe(value)}");
                    }

                    break;
                case "ignoreChanges" or "replaceOnChanges" or "hideDiffs":
                    PropertyNames(value, option, schema?.Inputs, schema is null ? "" : $"an input of {schema.Token}");
                    break;
                case "additionalSecretOutputs":
                    PropertyNames(value, option, schema?.Outputs, schema is null ? "" : $"an output of {schema.Token}");
                    break;
                case "customTimeouts":
                    Fields(value, option, TimeoutKeys, Kind.String);
                    break;
                case "aliases":
                    ForEachItem(value, option, (item, site) =>
                    {
                        if (item is YamlMappingNode)
                        {
                            Fields(item, site, AliasKeys, Kind.Any);
                        }
                        else if (Expression(item, site).Kind is not (Kind.String or Kind.Any))
                        {
                            Error(site, item, $"must be a URN string or an alias mapping, not {Describe(item)}");
                        }
                    });
                    break;
                case "envVarMappings":
                    Fields(value, option, null, Kind.String);
                    break;
                case "replacementTrigger":
                    Walk(value, option);
                    break;
                default:
                    Unknown(at, value, key, "resource option", OptionKeys);
                    break;
            }
        }
    }

    /// <summary>A reference to a whole resource, as provider, dependsOn and parent take; a provider must match the resource's package.</summary>
    private void ResourceRef(YamlNode node, Site at, bool provider, ResourceContract? of)
    {
        var expression = node is YamlScalarNode s && PulumiYaml.Scalar(s) is { Kind: ScalarKind.String } text ? PulumiYaml.Interpolate(text.Text, out _) : null;
        if (expression is not { IsSingleReference: true } || expression.References[0].Tail.Count > 0)
        {
            Error(at, node, $"must be a reference to a {(provider ? "provider " : "")}resource such as ${{name}}, not {Describe(node)}");
            return;
        }

        var name = expression.References[0].Root;
        Depend(at, name);
        if (!resources.TryGetValue(name, out var target))
        {
            Error(at, node, $"'{name}' is not a resource declared in this program");
        }
        else if (provider && target is not { IsProvider: true })
        {
            Error(at, node, $"'{name}' is not a provider resource (type pulumi:providers:*)");
        }
        else if (provider && of is not null && !of.IsProvider && target!.Package != of.Package)
        {
            Error(at, node, $"'{name}' is a {target.Package} provider but this resource belongs to package {of.Package}");
        }
    }

    /// <summary>ignoreChanges and friends: plain strings whose first segment names a property of the resource.</summary>
    private void PropertyNames(YamlNode node, Site at, JsonElement? properties, string what)
    {
        ForEachItem(node, at, (item, site) =>
        {
            var path = Literal(item);
            var root = path?.Split('.', '[')[0];
            if (path is null)
            {
                Error(site, item, $"must be a plain string naming a property, not {Describe(item)}");
            }
            else if (properties is { } props && root != "*" && !props.TryGetProperty(root!, out _))
            {
                Error(site, item, $"'{root}' is not {what}{DidYouMean(root!, props.EnumerateObject().Select(p => p.Name))}");
            }
        });
    }

    /// <summary>A mapping whose keys come from <paramref name="allowed"/> (any key when null) and whose values are of one kind.</summary>
    private void Fields(YamlNode node, Site at, string[]? allowed, Kind kind)
    {
        if (node is not YamlMappingNode map)
        {
            Error(at, node, $"must be a mapping, not {Describe(node)}");
            return;
        }

        foreach (var (key, value) in Entries(map, at))
        {
            if (allowed is not null && !allowed.Contains(key))
            {
                Unknown(at, value, key, "field", allowed);
            }
            else if (Expression(value, at.Key(key)).Kind is var actual && kind is not Kind.Any && actual != kind && actual is not Kind.Any)
            {
                Error(at.Key(key), value, $"must be a {kind.ToString().ToLowerInvariant()}, not {Describe(value)}");
            }
        }
    }

    private void ForEachItem(YamlNode node, Site at, Action<YamlNode, Site> check)
    {
        if (node is not YamlSequenceNode list)
        {
            Error(at, node, $"must be a list, not {Describe(node)}");
            return;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            check(list.Children[i], at.Item(i));
        }
    }

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

    /// <summary>Checks references in an untyped value (outputs, variables, Any-typed properties).</summary>
    private void Walk(YamlNode node, Site at)
    {
        switch (Expression(node, at).Kind, node)
        {
            case (Kind.List, YamlSequenceNode list):
                for (var i = 0; i < list.Children.Count; i++)
                {
                    Walk(list.Children[i], at.Item(i));
                }

                break;
            case (Kind.Map, YamlMappingNode map):
                foreach (var (key, value) in Entries(map, at))
                {
                    Walk(value, at.Key(key));
                }

                break;
        }
    }

    /// <summary>
    /// What a node evaluates to: its kind, and for a plain string its text. References and function arguments
    /// inside it are checked here; list items and mapping values are left to the caller.
    /// </summary>
    private (Kind Kind, string? Literal) Expression(YamlNode node, Site at)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                var value = PulumiYaml.Scalar(scalar);
                if (value.Kind is not ScalarKind.String)
                {
                    return (value.Kind switch { ScalarKind.Null => Kind.Null, ScalarKind.Bool => Kind.Bool, _ => Kind.Number }, null);
                }

                var interpolation = PulumiYaml.Interpolate(value.Text, out var problem);
                if (interpolation is null)
                {
                    Error(at, node, $"'{value.Text}' is not a valid interpolation: {problem}");
                    return (Kind.Any, null);
                }

                foreach (var reference in interpolation.References)
                {
                    Resolve(reference, node, at);
                }

                return interpolation.IsSingleReference ? (Kind.Any, null) : (Kind.String, interpolation.References.Count == 0 ? interpolation.Literal : null);
            case YamlSequenceNode:
                return (Kind.List, null);
            case YamlMappingNode map when Function(map) is ({ } name, { } argument):
                if (!StringFunctions.Concat(AnyFunctions).Concat(AssetFunctions).Concat(ArchiveFunctions).Contains(name))
                {
                    Error(at, node, $"'{name}' is not a Pulumi YAML built-in function");
                }

                Walk(argument, at.Key(name));
                return (StringFunctions.Contains(name) ? Kind.String : AssetFunctions.Contains(name) ? Kind.Asset : ArchiveFunctions.Contains(name) ? Kind.Archive : Kind.Any, null);
            default:
                return (Kind.Map, null);
        }
    }

    /// <summary>A <c>${...}</c> must name a config key, variable or resource; on a resource, an output property of its type.</summary>
    private void Resolve(PropertyAccess access, YamlNode node, Site at)
    {
        var root = access.Root;
        Depend(at, root);
        if (resources.TryGetValue(root, out var resource))
        {
            if (resource is not null)
            {
                Outputs(access, resource, node, at);
            }
        }
        else if (config.TryGetValue(root, out var type) || config.TryGetValue(root.StartsWith(project + ":", StringComparison.Ordinal) ? root[(project.Length + 1)..] : "", out type))
        {
            if (access.Tail.Count > 0 && !type.StartsWith("list<", StringComparison.Ordinal) && type != "object")
            {
                Error(at, node, $"{access}: config '{root}' is a {(type.Length > 0 ? type : "scalar")}; it has no properties or items");
            }
        }
        else if (root == "pulumi" && !variables.Contains(root))
        {
            if (access.Tail is not [NameAccessor { Name: var builtin }] || !PulumiBuiltins.Contains(builtin))
            {
                Error(at, node, $"{access}: Pulumi's built-in variable has only {string.Join(", ", PulumiBuiltins.Select(b => "pulumi." + b))}");
            }
        }
        else if (!variables.Contains(root))
        {
            Error(at, node, $"{access}: '{root}' is not a declared config key, variable or resource{DidYouMean(root, resources.Keys.Concat(config.Keys).Concat(variables))}");
        }
    }

    private void Outputs(PropertyAccess access, ResourceContract resource, YamlNode node, Site at)
    {
        if (access.Tail.Count == 0)
        {
            return;
        }

        if (access.Tail[0] is not NameAccessor { Name: var first })
        {
            Error(at, node, $"{access}: a resource's outputs are read by name (.name), not by index");
            return;
        }

        if (first is "id" or "urn")
        {
            if (access.Tail.Count > 1)
            {
                Error(at, node, $"{access}: '{first}' is a string; it has no properties or items");
            }

            return;
        }

        if (!resource.Outputs.TryGetProperty(first, out var spec))
        {
            var inputOnly = resource.Inputs.TryGetProperty(first, out _) ? " (it is an input only)" : "";
            Error(at, node, $"{access}: '{first}' is not an output property of {resource.Token}{inputOnly}{DidYouMean(first, resource.Outputs.EnumerateObject().Select(p => p.Name))}");
            return;
        }

        var path = access.Root + "." + first;
        foreach (var accessor in access.Tail.Skip(1))
        {
            while (spec.TryGetProperty("$ref", out var reference))
            {
                if (schemas.Type(resource.Package, reference.GetString()!) is not { } named)
                {
                    return; // pulumi.json#/Any and friends: anything may follow.
                }

                spec = named;
            }

            var type = spec.TryGetProperty("type", out var t) ? t.GetString() : null;
            var hasProperties = spec.TryGetProperty("properties", out var properties);
            var isMap = spec.TryGetProperty("additionalProperties", out var element);
            if (type == "object" && !hasProperties && !isMap)
            {
                return; // a free-form object
            }

            JsonElement? next = accessor switch
            {
                IndexAccessor when type == "array" => spec.GetProperty("items"),
                NameAccessor or KeyAccessor when isMap => element,
                NameAccessor { Name: var name } when hasProperties && properties.TryGetProperty(name, out var property) => property,
                _ => null,
            };
            if (next is null)
            {
                var what = hasProperties ? $"an object with {string.Join(", ", properties.EnumerateObject().Select(p => p.Name))}" : $"of type {type}";
                Error(at, node, $"{access}: cannot read {accessor} on {path}, which is {what}");
                return;
            }

            spec = next.Value;
            path += accessor;
        }
    }

    private static (string Name, YamlNode Argument)? Function(YamlNode node) =>
        node is YamlMappingNode { Children.Count: 1 } map && map.Children.First() is { Key: YamlScalarNode { Value: { } key } } entry
            && key.StartsWith("fn::", StringComparison.OrdinalIgnoreCase)
            ? (key.ToLowerInvariant(), entry.Value)
            : null;

    private void Depend(Site at, string name)
    {
        if (at.Owner is { } owner && (resources.ContainsKey(name) || variables.Contains(name)))
        {
            (dependencies.TryGetValue(owner, out var set) ? set : dependencies[owner] = new(StringComparer.Ordinal)).Add(name);
        }
    }

    /// <summary>Pulumi deploys in dependency order, so a cycle among resources and variables cannot run.</summary>
    private void ReportCycles()
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal);
        bool Visit(string name, Stack<string> path)
        {
            if (state.TryGetValue(name, out var done))
            {
                if (!done)
                {
                    errors.Add(new ProgramError("program", "", $"dependency cycle: {string.Join(" -> ", path.Reverse().SkipWhile(n => n != name))} -> {name}", 0));
                }

                return !done;
            }

            state[name] = false;
            path.Push(name);
            var cycle = dependencies.GetValueOrDefault(name)?.Order(StringComparer.Ordinal).Any(next => Visit(next, path)) ?? false;
            path.Pop();
            state[name] = true;
            return cycle;
        }

        foreach (var name in dependencies.Keys.Order(StringComparer.Ordinal).ToList())
        {
            if (Visit(name, new Stack<string>()))
            {
                return;
            }
        }
    }

    private IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode map, Site at)
    {
        foreach (var (key, value) in map.Children)
        {
            if (key is YamlScalarNode { Value: { } text } scalar && PulumiYaml.Scalar(scalar).Kind is ScalarKind.String)
            {
                yield return (text, value);
            }
            else
            {
                Error(at, key, $"mapping keys must be strings, not {Describe(key)}");
            }
        }
    }

    private List<(string Key, YamlNode Value)> Section(YamlMappingNode root, string name, Site top)
    {
        switch (Child(root, name))
        {
            case null:
                return [];
            case YamlMappingNode map:
                return [.. Entries(map, top.Key(name))];
            case var other:
                Error(top.Key(name), other, $"must be a mapping, not {Describe(other)}");
                return [];
        }
    }

    private static YamlNode? Child(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The text of a plain string (no <c>${...}</c>), with <c>$$</c> read as <c>$</c>; null for anything else.</summary>
    private static string? Literal(YamlNode? node) =>
        node is YamlScalarNode scalar && PulumiYaml.Scalar(scalar) is { Kind: ScalarKind.String } value
            && PulumiYaml.Interpolate(value.Text, out _) is { References.Count: 0 } interpolation
            ? interpolation.Literal
            : null;

    private static bool IsInteger(YamlNode node) => node is YamlScalarNode scalar && PulumiYaml.Scalar(scalar).Number is var n && double.IsFinite(n) && Math.Floor(n) == n;

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode scalar => PulumiYaml.Scalar(scalar) switch
        {
            { Kind: ScalarKind.Null } => "null",
            { Kind: ScalarKind.Bool } v => $"{v.Text} (a boolean)",
            { Kind: ScalarKind.Number } v => $"{v.Text} (a number)",
            var v => $"\"{(v.Text.Length > 60 ? v.Text[..57] + "..." : v.Text)}\" (a string)",
        },
        YamlSequenceNode => "a list",
        _ when Function(node) is ({ } name, _) => $"a {name} call",
        _ => "a mapping",
    };

    private static string DidYouMean(string typed, IEnumerable<string> candidates) =>
        Suggest.Nearest(typed, candidates) is { } near ? $"; did you mean '{near}'?" : "";

    private void Expect(bool ok, YamlNode node, Site at, string expected)
    {
        if (!ok)
        {
            Error(at, node, $"expected {expected}, got {Describe(node)}");
        }
    }

    private void Unknown(Site at, YamlNode node, string key, string what, string[] known) =>
        Error(at.Key(key), node, $"'{key}' is not a known {what}{DidYouMean(key, known)}");

    private void Error(Site at, YamlNode node, string problem) => errors.Add(new ProgramError(at.Subject, at.Path, problem, node.Start.Line));

    [GeneratedRegex(@"^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemVer();

    /// <summary>Where in the program a check is: the declaration (subject), the resource or variable that owns it, and the path inside.</summary>
    private sealed record Site(string Subject, string? Owner, string Path)
    {
        public Site Key(string key) => this with { Path = Path.Length == 0 ? key : $"{Path}.{key}" };

        public Site Item(int index) => this with { Path = $"{Path}[{index}]" };
    }
}
