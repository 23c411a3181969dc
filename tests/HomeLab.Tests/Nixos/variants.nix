# Evaluates the module for every release and every values file in one nix-instantiate run. `plan` is a JSON file:
#   { "releases": [ { "name", "libPath", "ollamaModule", "caddyModule", "webuiModule" } ], "valuesFiles": [ "/abs/values.json" ] }
# The result maps each release name to the harness reports, in the order of valuesFiles.
{ module, plan }:
let
  parsed = builtins.fromJSON (builtins.readFile plan);
in
builtins.listToAttrs (
  map (release: {
    inherit (release) name;
    value = map (
      valuesFile:
      import ./harness.nix {
        inherit (release) libPath ollamaModule caddyModule webuiModule;
        inherit module valuesFile;
      }
    ) parsed.valuesFiles;
  }) parsed.releases
)
