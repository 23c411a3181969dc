namespace HomeLab.Conventions;

/// <summary>An environment variable the proxy reads a credential from, and the secret config key that feeds it.</summary>
internal sealed record CredentialVariable(string Variable, string SecretKey);
