# Evaluates the module once per values file in the JSON list at `valuesFiles`: many variants, one nix-instantiate.
{ module, valuesFiles }:
map (valuesFile: (import ./harness.nix { inherit module valuesFile; }).config) (builtins.fromJSON (builtins.readFile valuesFiles))
