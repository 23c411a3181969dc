# The packages the modules under test read from `pkgs`. Each is a derivation-shaped attribute set (what
# lib.isDerivation, types.package and lib.getExe accept) whose name says which build was chosen, so a test can read
# the choice from ExecStart; nothing is built.
{ lib }:
let
  package =
    name:
    {
      type = "derivation";
      inherit name;
      pname = name;
      outPath = "/nix/store/00000000000000000000000000000000-${name}";
      meta.mainProgram = lib.head (lib.splitString "-" name);
    };

  # pkgs/by-name/ol/ollama/package.nix (24.11–25.11): the `acceleration` argument picks the build that
  # services.ollama's `acceleration` option asks for; null keeps the default build.
  ollamaBuild =
    suffix:
    package "ollama${suffix}"
    // {
      override =
        args:
        let
          acceleration = args.acceleration or null;
        in
        assert lib.elem acceleration [ null false "rocm" "cuda" "vulkan" ];
        ollamaBuild (
          if acceleration == null then
            suffix
          else if acceleration == false then
            "-cpu"
          else
            "-${acceleration}"
        );
    };

  # pkgs/pkgs-lib/formats.nix, json: the value type of services.caddy.settings.
  jsonValue =
    with lib.types;
    let
      valueType =
        nullOr (oneOf [
          bool
          int
          float
          str
          path
          (attrsOf valueType)
          (listOf valueType)
        ])
        // {
          description = "JSON value";
        };
    in
    valueType;
in
lib.genAttrs [ "caddy" "open-webui" "gawk" "gnused" "coreutils" "findutils" "parallel" ] package
// lib.genAttrs [ "ollama-cpu" "ollama-cuda" "ollama-rocm" "ollama-vulkan" ] package
// {
  ollama = ollamaBuild "";
  # The text stays readable, so a test can compare the Caddyfile with what the compiler rendered.
  writeText = name: text: package name // { inherit text; };
  writeTextDir = path: text: package (baseNameOf path) // { inherit text; };
  runCommand = name: _env: _script: package name;
  formats.json = _: {
    type = jsonValue;
    generate = name: _value: package name;
  };
  stdenv = {
    buildPlatform = "x86_64-linux";
    hostPlatform = "x86_64-linux";
  };
}
