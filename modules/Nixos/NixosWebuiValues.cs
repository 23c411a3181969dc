namespace HomeLab.Modules.Nixos;

/// <summary>
/// The chat front end for nixpkgs' services.open-webui: where it listens (loopback, for the proxy), its settings, and
/// the root-only file its secrets come from (services.open-webui.environmentFile), never the Nix store.
/// </summary>
internal sealed record NixosWebuiValues(string Host, int Port, IReadOnlyList<(string Key, string Value)> Environment, string EnvironmentFile);
