namespace HomeLab.Modules.Nixos;

internal sealed record NixosOllamaValues(
    string Gpu,
    string Host,
    int Port,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> LoadModels,
    NixosStorageValues? Storage,
    NixosLimitValues Limits);
