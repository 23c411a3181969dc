# The NixOS options that nixpkgs' ollama and caddy modules and nix/homelab.nix touch, other than their own. The
# reference holds no systemd, users or networking modules, so this file declares those options with the types and
# merge rules of the real declarations (named in each comment, NixOS/nixpkgs), built from the real `lib` of the
# release under test. Options are kept to what the modules set: a definition of anything else fails evaluation,
# as an unknown option fails on NixOS.
{ config, lib, ... }:
let
  inherit (lib) mkOption types;

  # nixos/lib/systemd-lib.nix, unitNameType.
  unitNameType = types.strMatching "[a-zA-Z0-9@%:_.\\-]+[.](service|socket|device|mount|automount|swap|target|path|timer|scope|slice)";

  # nixos/lib/systemd-unit-options.nix, unitOption: repeatable settings (any list among the definitions) are
  # concatenated; every other setting must be defined once, or with equal values (mergeEqualOption).
  unitOption = lib.mkOptionType {
    name = "systemd option";
    merge =
      loc: defs:
      let
        defs' = lib.filterOverrides defs;
      in
      if lib.any (def: lib.isList def.value) defs' then
        lib.concatMap (def: lib.toList def.value) defs'
      else
        lib.mergeEqualOption loc defs';
  };

  # nixos/lib/systemd-lib.nix, checkUnitConfig and assertValueOneOf. The check runs on each definition of
  # serviceConfig as written, so a value may still be wrapped in one mkIf or mkOverride (mkDefault); nixpkgs
  # unwraps that one level before comparing.
  checkUnitConfig =
    group: checks: attrs:
    let
      defs = lib.mapAttrs (
        _: v:
        if v._type or "" == "override" then
          v.content
        else if v._type or "" == "if" then
          v.content
        else
          v
      ) attrs;
      errors = lib.concatMap (c: c group defs) checks;
    in
    if errors == [ ] then true else builtins.trace (lib.concatStringsSep "\n" errors) false;
  assertValueOneOf =
    name: values: group: attr:
    lib.optional (
      attr ? ${name} && !lib.elem attr.${name} values
    ) "Systemd ${group} field `${name}' cannot have value `${toString attr.${name}}'.";

  # nixos/lib/systemd-unit-options.nix, checkService.
  checkService = checkUnitConfig "Service" [
    (assertValueOneOf "Type" [ "exec" "simple" "forking" "oneshot" "dbus" "notify" "notify-reload" "idle" ])
    (assertValueOneOf "Restart" [ "no" "on-success" "on-failure" "on-abnormal" "on-abort" "always" ])
  ];

  units = listOption unitNameType;
  listOption = type: mkOption {
    type = types.listOf type;
    default = [ ];
  };

  # nixos/lib/systemd-unit-options.nix: sharedOptions, commonUnitOptions, stage2CommonUnitOptions,
  # serviceOptions and stage2ServiceOptions, as far as the modules under test use them.
  service = types.submodule {
    options = {
      enable = mkOption {
        type = types.bool;
        default = true;
      };
      description = mkOption {
        type = types.singleLineStr;
        default = "";
      };
      wantedBy = units;
      requiredBy = units;
      wants = units;
      requires = units;
      after = units;
      before = units;
      bindsTo = units;
      partOf = units;
      unitConfig = mkOption {
        type = types.attrsOf unitOption;
        default = { };
      };
      startLimitBurst = mkOption { type = types.int; };
      startLimitIntervalSec = mkOption { type = types.int; };
      restartTriggers = listOption types.unspecified;
      reloadTriggers = listOption unitOption;
      environment = mkOption {
        type = with types; attrsOf (nullOr (oneOf [ str path package ]));
        default = { };
      };
      path = listOption (types.oneOf [ types.package types.str ]);
      serviceConfig = mkOption {
        type = types.addCheck (types.attrsOf unitOption) checkService;
        default = { };
      };
      script = mkOption {
        type = types.lines;
        default = "";
      };
      # nixos/lib/systemd-lib.nix, serviceOptions: preStart (lines), read by services.open-webui.
      preStart = mkOption {
        type = types.lines;
        default = "";
      };
    };
  };

  # nixos/modules/system/boot/systemd/tmpfiles.nix, settingsOption.
  tmpfilesEntry = types.submodule (
    { name, ... }:
    {
      options = {
        type = mkOption {
          type = types.str;
          default = name;
        };
      }
      // lib.genAttrs [ "mode" "user" "group" "age" ] (
        _:
        mkOption {
          type = types.str;
          default = "-";
        }
      )
      // {
        argument = mkOption {
          type = types.str;
          default = "";
        };
      };
    }
  );

  # nixos/modules/config/users-groups.nix, userOpts and groupOpts (the settings the modules use).
  user = types.submodule (
    { name, ... }:
    {
      options = {
        name = mkOption {
          type = types.str;
          default = name;
        };
        home = mkOption {
          type = types.path;
          default = "/var/empty";
        };
        isSystemUser = mkOption {
          type = types.bool;
          default = false;
        };
        isNormalUser = mkOption {
          type = types.bool;
          default = false;
        };
        group = mkOption {
          type = types.str;
          default = "";
        };
        uid = mkOption {
          type = with types; nullOr int;
          default = null;
        };
      };
    }
  );
  group = types.submodule {
    options = {
      gid = mkOption {
        type = with types; nullOr int;
        default = null;
      };
      members = listOption types.str;
    };
  };

  # nixos/modules/system/etc/etc.nix, the options of environment.etc.<name>.
  etcEntry = types.submodule (
    { name, ... }:
    {
      options = {
        enable = mkOption {
          type = types.bool;
          default = true;
        };
        target = mkOption {
          type = types.str;
          default = name;
        };
        text = mkOption {
          type = with types; nullOr lines;
          default = null;
        };
        source = mkOption { type = types.path; };
        mode = mkOption {
          type = types.str;
          default = "symlink";
        };
      };
    }
  );

  # nixos/modules/security/acme/default.nix: the caddy module sets group and reloadServices of each certificate.
  acmeCert = types.submodule {
    options = {
      group = mkOption { type = types.str; };
      reloadServices = listOption types.str;
    };
  };
in
{
  options = {
    # nixos/modules/misc/assertions.nix.
    assertions = mkOption {
      type = types.listOf types.unspecified;
      internal = true;
      default = [ ];
    };
    warnings = mkOption {
      internal = true;
      default = [ ];
      type = types.listOf types.str;
    };

    # nixos/modules/misc/meta.nix (maintainers are never read here).
    meta.maintainers = mkOption {
      type = types.listOf types.raw;
      internal = true;
      default = [ ];
    };

    # nixos/modules/misc/ids.nix: caddy's static uid and gid are 239.
    ids.uids = mkOption {
      type = types.attrsOf types.int;
      internal = true;
      default.caddy = 239;
    };
    ids.gids = mkOption {
      type = types.attrsOf types.int;
      internal = true;
      default.caddy = 239;
    };

    # nixos/modules/system/boot/systemd.nix.
    systemd.services = mkOption {
      type = types.attrsOf service;
      default = { };
    };
    systemd.packages = listOption types.package;
    systemd.tmpfiles.rules = listOption types.str;
    systemd.tmpfiles.settings = mkOption {
      type = types.attrsOf (types.attrsOf (types.attrsOf tmpfilesEntry));
      default = { };
    };

    users.users = mkOption {
      type = types.attrsOf user;
      default = { };
    };
    users.groups = mkOption {
      type = types.attrsOf group;
      default = { };
    };

    # nixos/modules/services/networking/firewall.nix.
    networking.firewall.allowedTCPPorts = listOption types.port;
    networking.firewall.allowedUDPPorts = listOption types.port;

    environment.etc = mkOption {
      type = types.attrsOf etcEntry;
      default = { };
    };
    # nixos/modules/config/system-path.nix.
    environment.systemPackages = listOption types.package;

    # nixos/modules/config/sysctl.nix (the value type there is a bool, str or int that may be null).
    boot.kernel.sysctl = mkOption {
      type = with types; attrsOf (nullOr (oneOf [ bool str int ]));
      default = { };
    };

    security.acme.certs = mkOption {
      type = types.attrsOf acmeCert;
      default = { };
    };
  };

  # nixos/modules/config/users-groups.nix: the assertions on every declared user that the modules could break.
  config.assertions = lib.concatMap (u: [
    {
      # A static uid below 1000 (caddy's 239) counts as a system user.
      assertion = (u.isSystemUser || (u.uid != null && u.uid < 1000)) != u.isNormalUser;
      message = "Exactly one of users.users.${u.name}.isSystemUser and users.users.${u.name}.isNormalUser must be set.";
    }
    {
      assertion = u.group != "";
      message = "users.users.${u.name}.group is unset. This used to default to nogroup, but this is unsafe.";
    }
  ]) (lib.attrValues config.users.users);
}
