namespace HomeLab.Spec;

internal sealed record ApiKeyAuth(string Header, IReadOnlyList<string> KeySecrets);
