# HomeLab's NixOS module: Ollama (nixpkgs' services.ollama), its resource limits, the Caddy proxy in front of
# it and the firewall, all set from values.json, which `homelab compile` writes and `pulumi up` copies next to
# this file. Stack values reach Nix only as JSON data read with builtins.fromJSON: nothing here turns them into
# Nix code, and no secret passes through this file or the Nix store (Caddy reads its credentials from an
# environment file that the deploy writes with mode 0600).
#
# Import it once from the host's configuration:
#   imports = [ /etc/nixos/homelab/homelab.nix ];
#
# NixOS 24.11 and newer. What differs between releases is decided by the options this release's services.ollama
# declares, never by its version: 24.11 and 25.05 take `acceleration` false/"rocm"/"cuda", 25.11 adds "vulkan",
# 26.05 removed `acceleration` (the package chooses the GPU) and renamed `models` to `modelsDir`.
{
  config,
  options,
  lib,
  pkgs,
  ...
}:
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
  # Written only for a host that runs the chat front end.
  webui = values.webui or null;

  # services.open-webui appeared during 24.05 (a backport) and gained environmentFile for 24.11; its secrets
  # (WEBUI_SECRET_KEY) come only from that file, so a release without it gets no front end and one assertion.
  webuiOptions = options.services.open-webui or { };
  webuiSupported = webuiOptions ? environmentFile && webuiOptions ? host && webuiOptions ? environment;
  limits = ollama.limits;

  # mkRemovedOptionModule and mkRenamedOptionModule leave invisible stand-ins for options that are gone (26.05
  # keeps `acceleration` and `models` that way, and defining them fails an assertion or warns), so an option
  # counts only when it is declared and visible.
  ollamaOptions = options.services.ollama or { };
  offers = name: ollamaOptions ? ${name} && (ollamaOptions.${name}.visible or true) != false;

  # 24.05's module has no host, port, user, group or loadModels: defining them fails even inside a false mkIf,
  # so on such a release nothing of services.ollama is defined and one assertion says what to do.
  ollamaSupported = offers "host" && offers "loadModels";

  # Releases with `acceleration` take false (CPU only), "cuda", "rocm" and, from 25.11 on, "vulkan".
  wantedAcceleration = {
    none = false;
    nvidia = "cuda";
    amd = "rocm";
    intel = "vulkan";
  }.${ollama.gpu};
  gpuBuildAvailable = !(offers "acceleration") || ollamaOptions.acceleration.type.check wantedAcceleration;

  # Releases without it choose the build by package (the names its `package` option lists).
  gpuPackage = {
    none = "ollama-cpu";
    nvidia = "ollama-cuda";
    amd = "ollama-rocm";
    intel = "ollama-vulkan";
  }.${ollama.gpu};

  build =
    if offers "acceleration" then
      { acceleration = if gpuBuildAvailable then wantedAcceleration else false; }
    else
      { package = pkgs.${gpuPackage}; };

  modelsOption = if offers "modelsDir" then "modelsDir" else "models";

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

  config = lib.mkMerge ([
    {
      # After nixos-rebuild the deploy compares this copy with values.json: proof that the new system was built
      # from these values (and so that the module is imported), not just that the rebuild succeeded.
      environment.etc."homelab/values.json".source = config.homelab.valuesFile;
    }

    (lib.mkIf (ollama != null && !ollamaSupported) {
      assertions = [
        {
          assertion = false;
          message = "homelab: ${values.hostName} runs a NixOS release whose services.ollama has no host, port or loadModels options (24.05 or older); HomeLab needs NixOS 24.11 or newer. Upgrade the host, then run `pulumi up --stack ${values.stack}` again.";
        }
      ];
    })

    (lib.mkIf (ollama != null && !gpuBuildAvailable) {
      warnings = [
        "homelab: ${values.hostName} asks for gpu: ${ollama.gpu}, but this NixOS release's services.ollama has no build for it (Vulkan came with NixOS 25.11), so Ollama runs on the CPU. Upgrade the host to NixOS 25.11 or newer to use the GPU, or set gpu: none in stacks/${values.stack}.yaml."
      ];
    })

    (lib.mkIf (webui != null && !webuiSupported) {
      assertions = [
        {
          assertion = false;
          message = "homelab: ${values.hostName} runs a NixOS release whose services.open-webui has no environmentFile option (24.05 or older), so the chat front end cannot get its secret key outside the Nix store; HomeLab's front end needs NixOS 24.11 or newer. Upgrade the host, or remove 'webui:' from stacks/${values.stack}.yaml, then run `pulumi up --stack ${values.stack}` again.";
        }
      ];
    })

    (lib.mkIf (proxy != null) {
      services.caddy = {
        enable = true;
        configFile = pkgs.writeText "Caddyfile" proxy.caddyfile;
        adapter = "caddyfile";
        # The HomeLab Caddyfile turns the admin API off, so a changed file restarts Caddy instead of reloading it.
        enableReload = false;
        # Credentials: /var/lib/homelab/caddy.env (mode 0600, written by the deploy), never the Nix store.
        inherit (proxy) environmentFile;
      };
      networking.firewall.allowedTCPPorts = proxy.openPorts;
    })
  ]
  ++ lib.optionals webuiSupported [
    (lib.mkIf (webui != null) {
      services.open-webui = {
        enable = true;
        # Loopback only: people reach it through Caddy, which signs them in; its port stays closed.
        inherit (webui) host port environment environmentFile;
        openFirewall = false;
        # Data stays in the module's own state directory (StateDirectory = "open-webui"; a stateDir elsewhere is
        # not made writable for its DynamicUser).
      };
    })
  ]
  ++ lib.optionals ollamaSupported [
    (lib.mkIf (ollama != null) {
      services.ollama = build // {
        enable = true;
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
        inherit (ollama.storage) home;
        ${modelsOption} = ollama.storage.models;
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
  ]);
}
