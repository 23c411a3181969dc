using HomeLab.Conventions;

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

    /// <summary>
    /// Null when no config can be read; a file that is not a Pulumi stack config counts as unreadable. PULUMI_CONFIG
    /// that is not JSON is refused (<see cref="PulumiConfigJson"/>).
    /// </summary>
    public static StackSecretConfig? Read(ProjectDirectory workspace, string stack, Func<string, string?> environment)
    {
        var project = PulumiProject.From(environment);
        if (environment("PULUMI_CONFIG") is { Length: > 0 } json)
        {
            return FromJson(json, project);
        }

        var path = Path.Combine(workspace.StacksDir, $"Pulumi.{stack}.yaml");
        return File.Exists(path) ? FromYaml(File.ReadAllText(path), project, $"stacks/Pulumi.{stack}.yaml") : null;
    }

    /// <summary>
    /// The config Pulumi passes the compiler (<see cref="PulumiConfigJson"/>): each key of this project is set. Pulumi
    /// passes secrets decrypted here, so whether they were stored encrypted cannot be seen: set is set.
    /// </summary>
    public static StackSecretConfig FromJson(string? json, string project)
    {
        var keys = PulumiConfigJson.Keys(json)
            .Select(key => PulumiProject.OwnKey(key, project)).OfType<string>()
            .ToDictionary(key => key, _ => SecretState.Set, StringComparer.Ordinal);
        return new StackSecretConfig(keys, "PULUMI_CONFIG");
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
                if (name is YamlScalarNode { Value: { } qualified } && PulumiProject.OwnKey(qualified, project) is { } key)
                {
                    var secure = value is YamlMappingNode map && map.Children.ContainsKey(new YamlScalarNode("secure"));
                    keys[key] = secure ? SecretState.Set : SecretState.PlainText;
                }
            }
        }

        return new StackSecretConfig(keys, source);
    }
}
