using HomeLab.Spec;

namespace HomeLab.Cli;

internal enum SecretKind
{
    /// <summary>An SSH private key for a NixOS host: it exists already, so only the operator can supply it.</summary>
    SshPrivateKey,

    BearerToken,

    ApiKey,

    /// <summary>The bcrypt hash of a basic-auth user's password, which the operator chooses.</summary>
    BasicAuthHash,

    /// <summary>Open WebUI's WEBUI_SECRET_KEY, which signs its sessions: random, generated.</summary>
    WebuiSecretKey,

    /// <summary>The password of Open WebUI's first admin (signIn: webui): random, generated, read back with pulumi config get.</summary>
    WebuiAdminPassword,
}

/// <summary>One secret config key a stack needs, what kind of value it holds and what it is for. Never a value.</summary>
internal sealed record SecretRequirement(string Key, SecretKind Kind, string Purpose)
{
    /// <summary>The basic-auth user whose password hash this key holds; null for the other kinds.</summary>
    public string? User { get; init; }

    /// <summary>
    /// Each key the stack names once (in <see cref="StackSpec.SecretKeys"/> order), with every purpose it serves; a key
    /// used for two things keeps the kind of its first use.
    /// </summary>
    public static IReadOnlyList<SecretRequirement> Of(StackSpec spec)
    {
        var uses = spec.Hosts.OfType<NixosHostSpec>().Where(h => h.Ssh.PrivateKeySecret is not null)
            .Select(h => new SecretRequirement(h.Ssh.PrivateKeySecret!, SecretKind.SshPrivateKey, $"SSH private key for {h.Name}"))
            .Concat((spec.Proxy?.Auth.BearerTokenSecrets ?? []).Select(k => new SecretRequirement(k, SecretKind.BearerToken, "proxy bearer token")))
            .Concat((spec.Proxy?.Auth.ApiKeys?.KeySecrets ?? []).Select(k => new SecretRequirement(k, SecretKind.ApiKey, $"proxy API key ({spec.Proxy!.Auth.ApiKeys!.Header})")))
            .Concat((spec.Proxy?.Auth.BasicAuth ?? []).Select(u => new SecretRequirement(u.PasswordHashSecret, SecretKind.BasicAuthHash, $"bcrypt hash for basic-auth user {u.User}") { User = u.User }))
            .Concat(spec.Webui is { } webui ? [new SecretRequirement(webui.SecretKeySecret, SecretKind.WebuiSecretKey, "Open WebUI session signing key (WEBUI_SECRET_KEY)")] : [])
            .Concat(spec.Webui?.AdminPasswordSecret is { } admin ? [new SecretRequirement(admin, SecretKind.WebuiAdminPassword, $"password of Open WebUI's first admin {spec.Webui.AdminEmail}")] : [])
            .ToList();
        return spec.SecretKeys()
            .Select(key => uses.First(u => u.Key == key) with { Purpose = string.Join(", ", uses.Where(u => u.Key == key).Select(u => u.Purpose).Distinct()) })
            .ToList();
    }
}
