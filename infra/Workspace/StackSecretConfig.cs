using System.Text.Json;

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HomeLab.Workspace;

/// <summary>
/// Which config keys a stack's Pulumi config holds, never their values. Read from <c>PULUMI_CONFIG</c> when Pulumi
/// passes it (the compiler hook), else from stacks/Pulumi.&lt;stack&gt;.yaml, where <c>pulumi config set --secret</c>
/// writes <c>project:key: { secure: ... }</c> for a stack whose config lives in the repository.
/// </summary>
internal sealed class StackSecretConfig(IReadOnlyDictionary<string, SecretState> keys, string source)
{
    /// <summary>Where the answer came from, for the reader (PULUMI_CONFIG or the file).</summary>
    public string Source { get; } = source;

    public SecretState State(string key) => keys.GetValueOrDefault(key, SecretState.NotSet);

    /// <summary>Null when no config can be read; a file that is not a Pulumi stack config counts as unreadable.</summary>
    public static StackSecretConfig? Read(ProjectDirectory workspace, string stack, Func<string, string?> environment)
    {
        var project = environment("PULUMI_PROJECT") is { Length: > 0 } p ? p : "homelab";
        if (environment("PULUMI_CONFIG") is { Length: > 0 } json)
        {
            return FromJson(json, project);
        }

        var path = Path.Combine(workspace.StacksDir, $"Pulumi.{stack}.yaml");
        return File.Exists(path) ? FromYaml(File.ReadAllText(path), project, $"stacks/Pulumi.{stack}.yaml") : null;
    }

    public static StackSecretConfig? FromJson(string json, string project)
    {
        try
        {
            using var config = JsonDocument.Parse(json);
            if (config.RootElement.ValueKind is not JsonValueKind.Object)
            {
                return null;
            }

            // Pulumi passes secrets decrypted here, so whether they were stored encrypted cannot be seen: set is set.
            var keys = config.RootElement.EnumerateObject()
                .Select(e => Unqualified(e.Name, project)).OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .ToDictionary(k => k, _ => SecretState.Set, StringComparer.Ordinal);
            return new StackSecretConfig(keys, "PULUMI_CONFIG");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static StackSecretConfig? FromYaml(string yaml, string project, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException)
        {
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return null;
        }

        var keys = new Dictionary<string, SecretState>(StringComparer.Ordinal);
        if (root.Children.TryGetValue(new YamlScalarNode("config"), out var config) && config is YamlMappingNode entries)
        {
            foreach (var (name, value) in entries.Children)
            {
                if (name is YamlScalarNode { Value: { } qualified } && Unqualified(qualified, project) is { } key)
                {
                    var secure = value is YamlMappingNode map && map.Children.ContainsKey(new YamlScalarNode("secure"));
                    keys[key] = secure ? SecretState.Set : SecretState.PlainText;
                }
            }
        }

        return new StackSecretConfig(keys, source);
    }

    /// <summary>The key of this project: <c>homelab:token</c> is <c>token</c>; another namespace's key is not ours.</summary>
    private static string? Unqualified(string name, string project)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? name : name[..colon] == project ? name[(colon + 1)..] : null;
    }
}
