# Stand-ins for exactly the parts of nixpkgs' lib that nix/homelab.nix uses, built with the same data shapes as
# lib/modules.nix and lib/options.nix, plus `evaluate`: how the module system combines definitions for the
# option types involved. There is no nixpkgs in the test environment; NixosLibStandInTests checks that these
# behave as the module system documents.
let
  inherit (builtins)
    all any attrNames concatLists concatMap concatStringsSep filter foldl' head isAttrs isBool isList length
    listToAttrs toJSON;

  # lib.modules.defaultOverridePriority: a plain definition.
  defaultPriority = 100;

  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkDefault = mkOverride 1000;
  mkOption = attrs: attrs // { _type = "option"; };
  types.path = {
    name = "path";
    check = x: builtins.isPath x || (builtins.isString x && builtins.substring 0 1 x == "/");
  };

  isProperty = v: isAttrs v && builtins.elem (v._type or null) [ "if" "merge" "override" ];
  isMergeable = v: isAttrs v && !(v ? _type);
  showPath = path: concatStringsSep "." path;

  # One definition → the plain values it contributes, each with its priority: lib.modules.dischargeProperties
  # (mkMerge, mkIf) together with the override part of filterOverrides.
  discharge = priority: value:
    if !isProperty value then
      [ { inherit priority value; } ]
    else if value._type == "merge" then
      concatMap (discharge priority) value.contents
    else if value._type == "if" then
      if !isBool value.condition then
        throw "mkIf called with a non-Boolean condition"
      else if value.condition then
        discharge priority value.content
      else
        [ ]
    else if isProperty value.content && value.content._type == "override" then
      throw "this harness does not support an override inside an override"
    else
      discharge value.priority value.content;

  # All definitions of one path → { present; value }. Attribute sets merge key by key and hand their priority
  # down (lib.modules.pushDownProperties); at a leaf the lowest priority number wins, then lists concatenate
  # (types.listOf) and other values must agree (mergeEqualOption), or evaluation fails as NixOS would.
  mergeAt = path: definitions:
    let
      plain = concatMap (d: discharge d.priority d.value) definitions;
      best = foldl' (lowest: d: if d.priority < lowest then d.priority else lowest) (head plain).priority plain;
      winners = map (d: d.value) (filter (d: d.priority == best) plain);
      names = attrNames (foldl' (names: d: names // d.value) { } plain);
      children = map (name: {
        inherit name;
        merged = mergeAt (path ++ [ name ]) (
          concatMap (d: if d.value ? ${name} then [ { inherit (d) priority; value = d.value.${name}; } ] else [ ]) plain
        );
      }) names;
    in
    if length plain == 0 then
      { present = false; }
    else if all (d: isMergeable d.value) plain then
      let
        present = filter (c: c.merged.present) children;
      in
      {
        # A set whose every attribute was an mkIf false defines nothing; one written as { } defines { }.
        present = present != [ ] || names == [ ];
        value = listToAttrs (map (c: { inherit (c) name; value = c.merged.value; }) present);
      }
    else if any (d: isMergeable d.value) plain then
      throw "The option `${showPath path}' is defined both as an attribute set and as a value."
    else if all isList winners then
      { present = true; value = concatLists winners; }
    else if all (v: v == head winners) winners then
      { present = true; value = head winners; }
    else
      throw "The option `${showPath path}' has conflicting definition values: ${toJSON winners}";

  # The configuration that a list of modules' `config` values define together.
  evaluate = configs: (mergeAt [ ] (map (value: { priority = defaultPriority; inherit value; }) configs)).value or { };
in
{
  inherit mkIf mkMerge mkOverride mkDefault mkOption types evaluate;
}
