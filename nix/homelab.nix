# HomeLab's NixOS module: Ollama (nixpkgs' services.ollama), its resource limits, the Caddy proxy in front of
# it and the firewall, all set from values.json, which `homelab compile` writes and `pulumi up` copies next to
# this file. Stack values reach Nix only as JSON data read with builtins.fromJSON: nothing here turns them into
# Nix code, and no secret passes through this file or the Nix store (Caddy reads its credentials from an
# environment file that the deploy writes with mode 0600).
#
# Import it once from the host's configuration:
#   imports = [ /etc/nixos/homelab/homelab.nix ];
{ config, lib, pkgs, ... }:
let
  values =
    let
      parsed = builtins.fromJSON (builtins.readFile config.homelab.valuesFile);
    in
    if (parsed.schema or null) == 1 then
      parsed
    else
      throw "homelab: ${toString config.homelab.valuesFile} was written by another HomeLab version; deliver homelab.nix and values.json together with `pulumi up`";

  ollama = values.ollama;
  proxy = values.proxy;
  limits = ollama.limits;

  # nixpkgs' services.ollama.acceleration takes false (CPU only), "cuda", "rocm" or "vulkan".
  acceleration = {
    none = false;
    nvidia = "cuda";
    amd = "rocm";
    intel = "vulkan";
  }.${ollama.gpu};

  # Under cgroup v2, Nice only orders processes inside one service; CPUWeight and IOWeight are what let the
  # other services on the host (a media server, a forge) win when they compete with Ollama.
  priority = {
    normal = { };
    low = {
      Nice = 10;
      CPUWeight = 20;
      IOWeight = 20;
      IOSchedulingClass = "best-effort";
      IOSchedulingPriority = 7;
    };
    idle = {
      Nice = 19;
      CPUWeight = "idle";
      IOWeight = 1;
      IOSchedulingClass = "idle";
    };
  }.${limits.priority};

  hasMemoryLimit = limits.memoryMaxBytes != null;
  ownedByOllama = {
    user = "ollama";
    group = "ollama";
  };
in
{
  options.homelab.valuesFile = lib.mkOption {
    type = lib.types.path;
    default = ./values.json;
    description = "The values that `homelab compile` writes for this host; `pulumi up` puts them next to this module.";
  };

  config = lib.mkMerge [
    {
      # After nixos-rebuild the deploy compares this copy with values.json: proof that the new system was built
      # from these values (and so that the module is imported), not just that the rebuild succeeded.
      environment.etc."homelab/values.json".source = config.homelab.valuesFile;
    }

    (lib.mkIf (ollama != null) {
      services.ollama = {
        enable = true;
        inherit acceleration;
        inherit (ollama) host port loadModels;
        environmentVariables = ollama.environment;
        # Clients come through the proxy; Ollama's own port stays closed.
        openFirewall = false;
      };

      # Only keys that nixpkgs' hardened unit does not set, so its sandboxing stays as it is.
      systemd.services.ollama.serviceConfig = priority // {
        MemoryMax = lib.mkIf hasMemoryLimit (toString limits.memoryMaxBytes);
        # Reclaim starts before the hard cap, so the host slows Ollama down before the OOM killer ends it.
        MemoryHigh = lib.mkIf hasMemoryLimit (toString (builtins.div (limits.memoryMaxBytes * 9) 10));
        # A model paged out to swap is slower than one that fails to load, and it drags co-tenants with it.
        MemorySwapMax = lib.mkIf hasMemoryLimit "0";
        CPUQuota = lib.mkIf (limits.cpuQuotaPercent != null) "${toString limits.cpuQuotaPercent}%";
        # nixpkgs' unit does not restart Ollama after a crash; the host's configuration may still override this.
        Restart = lib.mkDefault "on-failure";
        RestartSec = lib.mkDefault "5s";
      };
    })

    (lib.mkIf (ollama != null && ollama.storage != null) {
      # A static user, so the models on the data disk keep an owner that survives rebuilds.
      services.ollama = {
        inherit (ownedByOllama) user group;
        inherit (ollama.storage) home models;
      };
      # 'Z' hands existing files back to the ollama user after a reinstall, which may give it another uid.
      systemd.tmpfiles.settings.homelab-ollama = {
        ${ollama.storage.home} = {
          d = ownedByOllama // { mode = "0750"; };
          Z = ownedByOllama;
        };
        ${ollama.storage.models}.d = ownedByOllama // { mode = "0750"; };
      };
      # Never fill the root file system when the data disk is not mounted.
      systemd.services.ollama.unitConfig.RequiresMountsFor = [ ollama.storage.home ];
    })

    (lib.mkIf (proxy != null) {
      services.caddy = {
        enable = true;
        configFile = pkgs.writeText "Caddyfile" proxy.caddyfile;
        adapter = "caddyfile";
        # The HomeLab Caddyfile turns the admin API off, so a changed file restarts Caddy instead of reloading it.
        enableReload = false;
      };
      # Credentials: /var/lib/homelab/caddy.env (mode 0600, written by the deploy), never the Nix store.
      systemd.services.caddy.serviceConfig.EnvironmentFile = lib.mkIf (proxy.environmentFile != null) proxy.environmentFile;
      networking.firewall.allowedTCPPorts = proxy.openPorts;
    })
  ];
}
