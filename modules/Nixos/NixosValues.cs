using System.Text.Json.Serialization;

namespace HomeLab.Modules.Nixos;

/// <summary>What nix/homelab.nix reads from values.json; property order is the key order in the file.</summary>
internal sealed record NixosValues(int Schema, string Stack, string HostName, NixosOllamaValues? Ollama, NixosProxyValues? Proxy)
{
    /// <summary>The chat front end; written only when the host runs one, so other hosts' values stay as they were.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NixosWebuiValues? Webui { get; init; }
}
