using System.Text.Json.Nodes;

using HomeLab.Tests.ProgramValidation;

using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.Kubernetes;

/// <summary>
/// The Kubernetes objects of a compiled program as the provider would send them: each <c>kubernetes:*</c> resource's
/// properties with apiVersion and kind from its token, scalars typed as Pulumi YAML types them (go-yaml v3's
/// resolver, <see cref="PulumiYaml.Scalar"/>). A <c>${...}</c> reference stays its text, a string, which is what
/// every reference the modules write resolves to (a namespace name, a secret value).
/// </summary>
internal static class KubernetesObjects
{
    public sealed record KubernetesObject(string Resource, string Token, JsonObject Body);

    public static IReadOnlyList<KubernetesObject> Of(string program)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(program));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var objects = new List<KubernetesObject>();
        foreach (var (key, value) in ((YamlMappingNode)root["resources"]).Children)
        {
            var resource = (YamlMappingNode)value;
            var token = ((YamlScalarNode)resource["type"]).Value!;
            if (!token.StartsWith("kubernetes:", StringComparison.Ordinal))
            {
                continue;
            }

            var (apiVersion, kind) = KubernetesModels.ApiVersionKind(token);
            var body = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
            foreach (var (field, fieldValue) in ((YamlMappingNode)resource["properties"]).Children)
            {
                body[((YamlScalarNode)field).Value!] = Json(fieldValue);
            }

            objects.Add(new(((YamlScalarNode)key).Value!, token, body));
        }

        return objects;
    }

    private static JsonNode? Json(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(e => new KeyValuePair<string, JsonNode?>(((YamlScalarNode)e.Key).Value!, Json(e.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(Json).ToArray()),
        YamlScalarNode scalar => PulumiYaml.Scalar(scalar) switch
        {
            { Kind: ScalarKind.Null } => null,
            { Kind: ScalarKind.Bool, Text: var text } => JsonValue.Create(text is "true" or "True" or "TRUE"),
            { Kind: ScalarKind.Number, Number: var number } when Math.Floor(number) == number && Math.Abs(number) < long.MaxValue => JsonValue.Create((long)number),
            { Kind: ScalarKind.Number, Number: var number } => JsonValue.Create(number),
            { Text: var text } => JsonValue.Create(text),
        },
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };
}
