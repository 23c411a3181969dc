using System.Text.Json;
using System.Text.RegularExpressions;

using HomeLab.Contracts;

using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.ProgramValidation;

/// <summary>Resources and their options: fields, provider and dependency references, property-name lists, timeouts and aliases.</summary>
internal sealed partial class ProgramValidator
{
    private static readonly string[] ResourceKeys = ["type", "name", "defaultProvider", "properties", "options", "get", "condition", "metadata"];
    private static readonly string[] OptionKeys =
    [
        "additionalSecretOutputs", "aliases", "customTimeouts", "deleteBeforeReplace", "dependsOn", "ignoreChanges", "import", "parent", "protect", "provider",
        "providers", "version", "pluginDownloadURL", "replaceOnChanges", "retainOnDelete", "replaceWith", "deletedWith", "hideDiffs", "replacementTrigger", "envVarMappings",
    ];

    private static readonly string[] AliasKeys = ["name", "noParent", "parent", "project", "stack", "type", "urn"];
    private static readonly string[] TimeoutKeys = ["create", "update", "delete", "read"];

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

    [GeneratedRegex(@"^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemVer();
}
