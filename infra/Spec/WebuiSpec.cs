namespace HomeLab.Spec;

/// <summary>
/// The chat front end (Open WebUI): where it runs, the Ollama instances it talks to, its own name under the proxy,
/// where its data lives, and who signs people in. Secret values never appear here, only config key names.
/// </summary>
internal sealed record WebuiSpec(
    string Host,
    IReadOnlyList<string> Instances,
    string Domain,
    string? Image,
    StorageSpec Storage,
    SignInMode SignIn,
    string SecretKeySecret,
    string? AdminEmail,
    string? AdminPasswordSecret,
    bool OpenAiApi,
    SourceMark At)
{
    /// <summary>The secret config keys the front end needs, in a stable order.</summary>
    public IEnumerable<string> SecretKeys() =>
        AdminPasswordSecret is { } admin ? [SecretKeySecret, admin] : [SecretKeySecret];
}
