using HomeLab.Workspace;

namespace HomeLab.Deploy;

/// <summary>Where Pulumi keeps the stack's state, and the environment a child pulumi needs to use it.</summary>
internal sealed record PulumiBackend(BackendSource Source, string? LocalUrl)
{
    public const string StateFolder = ".pulumi";

    /// <summary>What the operator reads; never the URL's value from the environment, which may carry credentials.</summary>
    public string Description => Source switch
    {
        BackendSource.BackendUrl => "the backend in PULUMI_BACKEND_URL",
        BackendSource.AccessToken => "Pulumi Cloud (PULUMI_ACCESS_TOKEN)",
        BackendSource.LoggedIn => "the backend you are logged in to (pulumi whoami)",
        _ => $"the local file backend {LocalUrl} (no PULUMI_BACKEND_URL, no PULUMI_ACCESS_TOKEN, not logged in)",
    };

    public IReadOnlyDictionary<string, string> ChildEnvironment =>
        LocalUrl is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal) { ["PULUMI_BACKEND_URL"] = LocalUrl };

    /// <summary>
    /// Chooses the backend. <paramref name="whoami"/> runs only when nothing is configured. When it fails although
    /// the operator has logged in before (a credentials file exists), falling back to a fresh local state would
    /// deploy everything a second time, so that is refused with the reason instead.
    /// </summary>
    public static PulumiBackend Choose(IReadOnlyDictionary<string, string?> environment, string root, Func<(bool Ok, string Error)> whoami, bool hasCredentialsFile)
    {
        if (environment.GetValueOrDefault("PULUMI_BACKEND_URL") is { Length: > 0 })
        {
            return new PulumiBackend(BackendSource.BackendUrl, null);
        }

        if (environment.GetValueOrDefault("PULUMI_ACCESS_TOKEN") is { Length: > 0 })
        {
            return new PulumiBackend(BackendSource.AccessToken, null);
        }

        var (ok, error) = whoami();
        if (ok)
        {
            return new PulumiBackend(BackendSource.LoggedIn, null);
        }

        var local = "file://" + Path.Combine(root, StateFolder).Replace('\\', '/');
        if (hasCredentialsFile)
        {
            throw new UsageException($"pulumi whoami failed ({FirstLine(error)}) although you have logged in to a Pulumi backend before — " +
                $"fix the login (pulumi login), or use the local state in this repository explicitly: export PULUMI_BACKEND_URL={local}");
        }

        return new PulumiBackend(BackendSource.LocalDefault, local);
    }

    /// <summary>Why the local file backend cannot encrypt secrets in this environment (no passphrase), or null when it can.</summary>
    public static string? MissingPassphrase(IReadOnlyDictionary<string, string?> environment) =>
        environment.GetValueOrDefault("PULUMI_CONFIG_PASSPHRASE") is null && environment.GetValueOrDefault("PULUMI_CONFIG_PASSPHRASE_FILE") is not { Length: > 0 }
            ? "homelab: the local backend encrypts this stack's secrets with a passphrase, and none is set — " +
                "choose one and keep it (without it the secrets cannot be read back): export PULUMI_CONFIG_PASSPHRASE='<passphrase>' " +
                "(or PULUMI_CONFIG_PASSPHRASE_FILE=<file holding it>), then run this command again"
            : null;

    /// <summary>Where pulumi login keeps its credentials: $PULUMI_HOME/credentials.json or ~/.pulumi/credentials.json.</summary>
    public static string CredentialsFile(IReadOnlyDictionary<string, string?> environment) =>
        Path.Combine(environment.GetValueOrDefault("PULUMI_HOME") is { Length: > 0 } home ? home : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pulumi"), "credentials.json");

    private static string FirstLine(string text) => text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "no output";
}
