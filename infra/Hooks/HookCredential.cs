using HomeLab.Conventions;
using HomeLab.Spec;

namespace HomeLab.Hooks;

/// <summary>
/// The one credential the hooks present to the proxy, read from the environment variable the proxy itself reads it
/// from (<see cref="AuthSpec.Credentials"/>). Its value is never printed: <see cref="Redact"/> scrubs it from any
/// text that may echo it.
/// </summary>
internal sealed class HookCredential(string header, string scheme, string value, CredentialVariable source)
{
    public string Header { get; } = header;

    public CredentialVariable Source { get; } = source;

    public string HeaderValue => scheme.Length == 0 ? value : $"{scheme} {value}";

    /// <summary>
    /// The credential the hooks use for a proxy's auth: the first bearer token, else the first API key. Basic auth is
    /// not usable because the stack holds only its bcrypt hash (the loader refuses such stacks for proxied hooks).
    /// </summary>
    public static CredentialVariable? Choose(AuthSpec auth)
    {
        var variables = auth.Credentials();
        return variables.FirstOrDefault(CredentialVariables.IsBearer)
            ?? variables.FirstOrDefault(CredentialVariables.IsApiKey);
    }

    public static HookCredential From(AuthSpec auth, CredentialVariable variable, string value) =>
        CredentialVariables.IsBearer(variable)
            ? new HookCredential("Authorization", "Bearer", value, variable)
            : new HookCredential(auth.ApiKeys!.Header, "", value, variable);

    /// <summary>What the operator reads instead of the value: where it comes from.</summary>
    public string Describe() => $"the credential in {Source.Variable} (secret config '{Source.SecretKey}')";

    /// <summary>Scrubs the value, raw and as JSON would escape it, from text on its way out.</summary>
    public string Redact(string text) => value.Length == 0
        ? text
        : text.Replace(value, "***", StringComparison.Ordinal).Replace(System.Text.Json.JsonEncodedText.Encode(value).ToString(), "***", StringComparison.Ordinal);
}
