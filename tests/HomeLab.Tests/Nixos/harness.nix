# Evaluates nix/homelab.nix with the real nixpkgs module system: the real lib.evalModules of one release, that
# release's services.ollama module and nixpkgs' services.caddy module, the option declarations of
# declarations.nix for the rest of NixOS, and the packages of pkgs.nix.
#   nix-instantiate --eval --strict --json harness.nix --argstr libPath <nixpkgs lib> --argstr ollamaModule <ollama.nix> \
#     --argstr caddyModule <caddy/default.nix> --argstr webuiModule <open-webui.nix> --argstr module /abs/nix/homelab.nix --argstr valuesFile /abs/values.json \
#     [--arg host '{ ...definitions of the host configuration... }']
# The result is a report of what NixOS would build: failed assertions, warnings, and the settings that decide
# where Ollama listens, what the firewall opens and what the units run with.
{
  libPath,
  ollamaModule,
  caddyModule,
  webuiModule,
  module,
  valuesFile,
  host ? { },
}:
let
  lib = import libPath;
  system = lib.evalModules {
    modules = [
      ./declarations.nix
      ollamaModule
      caddyModule
      webuiModule
      module
      host
      {
        _module.args.pkgs = import ./pkgs.nix { inherit lib; };
        homelab.valuesFile = valuesFile;
      }
    ];
  };
  config = system.config;
  options = system.options;
  names = map (p: p.name);
  unit =
    name:
    let
      s = config.systemd.services.${name};
    in
    {
      inherit (s) serviceConfig unitConfig environment wantedBy after;
    };
  ollama = config.services.ollama;
  offers = name: options.services.ollama ? ${name} && (options.services.ollama.${name}.visible or true) != false;
  ollamaModelsDir = if offers "modelsDir" then ollama.modelsDir else ollama.models;
in
{
  failedAssertions = map (a: a.message) (lib.filter (a: !a.assertion) config.assertions);
  inherit (config) warnings;
  ollama =
    if config.services.ollama.enable then
      {
        inherit (ollama) host port openFirewall loadModels home user group;
        modelsDir = ollamaModelsDir;
        unit = unit "ollama";
        modelLoader =
          if config.systemd.services ? ollama-model-loader then config.systemd.services.ollama-model-loader.script else null;
      }
    else
      null;
  caddy =
    if config.services.caddy.enable then
      {
        inherit (config.services.caddy) adapter enableReload environmentFile;
        configFile = { inherit (config.services.caddy.configFile) name text; };
        unit = unit "caddy";
      }
    else
      null;
  webui =
    if config.services.open-webui.enable then
      {
        inherit (config.services.open-webui) host port openFirewall environment stateDir;
        environmentFile = toString config.services.open-webui.environmentFile;
        unit = unit "open-webui";
      }
    else
      null;
  services = lib.attrNames config.systemd.services;
  firewall = { inherit (config.networking.firewall) allowedTCPPorts allowedUDPPorts; };
  tmpfiles = { inherit (config.systemd.tmpfiles) settings rules; };
  users = lib.mapAttrs (_: u: { inherit (u) home isSystemUser group; }) config.users.users;
  groups = lib.attrNames config.users.groups;
  systemPackages = names config.environment.systemPackages;
  valuesMarker = toString config.environment.etc."homelab/values.json".source;
  valuesFileOption =
    let
      o = options.homelab.valuesFile;
    in
    {
      default = toString o.default;
      type = o.type.name;
      defaultIsValid = o.type.check o.default;
    };
}
