# Evaluates nix/homelab.nix against a values file without nixpkgs:
#   nix-instantiate --eval --strict --json harness.nix --argstr module /abs/nix/homelab.nix \
#     --argstr valuesFile /abs/values.json [--arg host '{ ...definitions of the host configuration... }']
{ module, valuesFile, host ? { } }:
let
  lib = import ./lib.nix;
  # pkgs.writeText returns a store path whose content is `text`; the stub keeps the text so tests can read it.
  pkgs.writeText = name: text: { _type = "storeFile"; inherit name text; };
  evaluated = import module {
    inherit lib pkgs;
    config.homelab.valuesFile = valuesFile;
  };
  valuesFile' = evaluated.options.homelab.valuesFile;

  # A sample of what nixpkgs' own ollama module sets on the unit. Merging it in makes evaluation fail, as it
  # would on NixOS, if the HomeLab module ever set one of these keys to something else.
  nixpkgsOllama.systemd.services.ollama.serviceConfig = {
    Type = "exec";
    DynamicUser = true;
    CapabilityBoundingSet = [ "" ];
    DevicePolicy = "closed";
    MemoryDenyWriteExecute = true;
    NoNewPrivileges = true;
    PrivateTmp = true;
    ProtectHome = true;
    ProtectSystem = "strict";
    RestrictRealtime = true;
    SystemCallFilter = [ "@system-service @resources" "~@privileged" ];
    UMask = "0077";
  };
  # nixpkgs defines its unit only when services.ollama.enable is true (config = mkIf cfg.enable ...).
  ollamaEnabled = (lib.evaluate [ evaluated.config host ]).services.ollama.enable or false;
in
{
  config = lib.evaluate [ (lib.mkIf ollamaEnabled nixpkgsOllama) evaluated.config host ];
  valuesFileOption = {
    default = toString valuesFile'.default;
    type = valuesFile'.type.name;
    defaultIsValid = valuesFile'.type.check valuesFile'.default;
  };
}
