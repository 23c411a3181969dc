using HomeLab.Conventions;

namespace HomeLab.Spec;

/// <summary>Credentials accepted by the proxy. Every entry is the name of a Pulumi secret config key, never a value.</summary>
internal sealed record AuthSpec(IReadOnlyList<string> BearerTokenSecrets, ApiKeyAuth? ApiKeys, IReadOnlyList<BasicAuthUser> BasicAuth)
{
    public static readonly AuthSpec None = new([], null, []);

    public bool IsOpen => BearerTokenSecrets.Count == 0 && ApiKeys is null && BasicAuth.Count == 0;

    /// <summary>The environment variables every credential travels in (<see cref="Conventions.CredentialVariables"/>), in a stable order.</summary>
    public IReadOnlyList<CredentialVariable> Credentials() =>
        Conventions.CredentialVariables.For(BearerTokenSecrets, ApiKeys?.KeySecrets ?? [], BasicAuth.Select(u => u.PasswordHashSecret));

    public IEnumerable<string> SecretKeys() =>
        BearerTokenSecrets.Concat(ApiKeys?.KeySecrets ?? []).Concat(BasicAuth.Select(u => u.PasswordHashSecret));
}
