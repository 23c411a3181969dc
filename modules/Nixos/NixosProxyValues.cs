namespace HomeLab.Modules.Nixos;

/// <summary>The Caddyfile as text, where Caddy finds its credentials, and the only ports the firewall opens.</summary>
internal sealed record NixosProxyValues(string Caddyfile, string? EnvironmentFile, IReadOnlyList<int> OpenPorts);
