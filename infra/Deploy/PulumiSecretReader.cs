using HomeLab.Conventions;
using HomeLab.Tools;
using HomeLab.Workspace;

namespace HomeLab.Deploy;

/// <summary>
/// The credential variables the hooks read (HOMELAB_BEARER_key, HOMELAB_APIKEY_key) for a command an operator runs
/// by hand, such as <c>homelab status</c>: from the environment when set there, else from the stack's secret config
/// through <c>pulumi config get KEY</c> against the backend <c>homelab up</c> uses. The value goes from pulumi's
/// stdout into the request header only; it is never printed. Null when neither has it (pulumi absent, no passphrase,
/// key not set): the caller then says how to set the variable.
/// </summary>
internal sealed class PulumiSecretReader(IToolRunner tools, IReadOnlyDictionary<string, string?> environment, ProjectDirectory workspace, string stack)
{
    private readonly Dictionary<string, string?> read = new(StringComparer.Ordinal);

    public string? Variable(string name)
    {
        if (environment.GetValueOrDefault(name) is { Length: > 0 } value)
        {
            return value;
        }

        var key = name.StartsWith(CredentialVariables.BearerPrefix, StringComparison.Ordinal) ? name[CredentialVariables.BearerPrefix.Length..]
            : name.StartsWith(CredentialVariables.ApiKeyPrefix, StringComparison.Ordinal) ? name[CredentialVariables.ApiKeyPrefix.Length..]
            : null;
        if (key is null)
        {
            return environment.GetValueOrDefault(name);
        }

        if (!read.TryGetValue(key, out var secret))
        {
            read[key] = secret = Get(key);
        }

        return secret;
    }

    private string? Get(string key)
    {
        if (tools.Find("pulumi") is null)
        {
            return null;
        }

        try
        {
            var backend = new PulumiSession(tools, environment, TextWriter.Null).ChooseBackend(workspace);
            var result = tools.Capture(PulumiSession.Pulumi(workspace, backend, stack, ["config", "get", key, "--stack", stack, "--non-interactive"]), TimeSpan.FromSeconds(30));
            return result.Succeeded && result.Output.TrimEnd('\r', '\n') is { Length: > 0 } value ? value : null;
        }
        catch (UsageException)
        {
            // A login that no longer works: the caller's message says how to give the credential instead.
            return null;
        }
    }
}
