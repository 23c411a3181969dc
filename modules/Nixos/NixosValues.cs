namespace HomeLab.Modules.Nixos;

/// <summary>What nix/homelab.nix reads from values.json; property order is the key order in the file.</summary>
internal sealed record NixosValues(int Schema, string Stack, string HostName, NixosOllamaValues? Ollama, NixosProxyValues? Proxy);
