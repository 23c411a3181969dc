using System.Text.Json;

using HomeLab.Contracts;

using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.ProgramValidation;

/// <summary>Expressions and <c>${...}</c> references: what each names, the outputs it reads, and the dependency cycles they make.</summary>
internal sealed partial class ProgramValidator
{
    private static readonly string[] PulumiBuiltins = ["cwd", "organization", "project", "rootDirectory", "stack"];
    private static readonly string[] StringFunctions = ["fn::join", "fn::tojson", "fn::tobase64", "fn::frombase64", "fn::readfile", "fn::filebase64", "fn::filebase64sha256", "fn::sha1", "fn::pulumiresourcename", "fn::pulumiresourcetype"];
    private static readonly string[] AnyFunctions = ["fn::invoke", "fn::select", "fn::split", "fn::stackreference", "fn::singleornone", "fn::secret", "fn::unsecret"];
    private static readonly string[] AssetFunctions = ["fn::stringasset", "fn::fileasset", "fn::remoteasset"];
    private static readonly string[] ArchiveFunctions = ["fn::filearchive", "fn::remotearchive", "fn::assetarchive"];

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
}
