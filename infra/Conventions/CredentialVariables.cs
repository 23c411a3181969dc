namespace HomeLab.Conventions;

/// <summary>
/// The environment variables proxy credentials travel in: the proxy (Caddy's <c>{env.NAME}</c>), the NixOS
/// credential file and the post-deploy hooks all name them from here.
/// </summary>
internal static class CredentialVariables
{
    /// <summary>Every credential variable starts with this (the NixOS credential file admits nothing else).</summary>
    public const string Prefix = "HOMELAB_";

    public const string BearerPrefix = Prefix + "BEARER_";
    public const string ApiKeyPrefix = Prefix + "APIKEY_";
    public const string BasicPrefix = Prefix + "BASIC_";

    public static string Bearer(string secretKey) => BearerPrefix + secretKey;

    public static string ApiKey(string secretKey) => ApiKeyPrefix + secretKey;

    public static string Basic(string secretKey) => BasicPrefix + secretKey;

    public static bool IsBearer(CredentialVariable variable) => variable.Variable.StartsWith(BearerPrefix, StringComparison.Ordinal);

    public static bool IsApiKey(CredentialVariable variable) => variable.Variable.StartsWith(ApiKeyPrefix, StringComparison.Ordinal);

    /// <summary>Environment variables for every credential of a proxy's auth, given by their secret config keys, in a stable order.</summary>
    public static IReadOnlyList<CredentialVariable> For(IEnumerable<string> bearerTokenSecrets, IEnumerable<string> apiKeySecrets, IEnumerable<string> basicPasswordHashSecrets) =>
        bearerTokenSecrets.Select(k => new CredentialVariable(Bearer(k), k))
            .Concat(apiKeySecrets.Select(k => new CredentialVariable(ApiKey(k), k)))
            .Concat(basicPasswordHashSecrets.Select(k => new CredentialVariable(Basic(k), k)))
            .DistinctBy(c => c.Variable)
            .ToList();
}
