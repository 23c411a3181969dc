namespace HomeLab.Modules.Nixos;

/// <summary>Ollama's home and model directory; null in <see cref="NixosOllamaValues"/> keeps nixpkgs' /var/lib/ollama.</summary>
internal sealed record NixosStorageValues(string Home, string Models);
