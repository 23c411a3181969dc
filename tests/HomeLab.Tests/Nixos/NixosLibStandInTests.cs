using System.Text.Json;

using HomeLab.Tests.Support;


namespace HomeLab.Tests.Nixos;

/// <summary>
/// The module is evaluated against stand-ins for nixpkgs' lib (lib.nix beside this file). These tests pin the
/// module-system behaviour the stand-ins must reproduce, so a passing module test means what it would on NixOS.
/// </summary>
public class NixosLibStandInTests
{
    private static readonly string LibPath = Path.Combine(Nix.HarnessDir, "lib.nix");

    private static ProcessResult Evaluate(string body)
    {
        var nix = Nix.Require();

        return nix.Run("--eval", "--strict", "--json", "-E", "{ libPath }: let lib = import libPath; in " + body, "--argstr", "libPath", LibPath);
    }

    private static void ShouldEvaluateTo(string body, string json)
    {
        var run = Evaluate(body);

        run.ExitCode.Should().Be(0, "{0} should evaluate, but nix said: {1}", body, run.Stderr);
        JsonSerializer.Serialize(JsonDocument.Parse(run.Stdout).RootElement).Should().Be(json, body);
    }

    private static void ShouldFail(string body, string message)
    {
        var run = Evaluate(body);

        run.ExitCode.Should().NotBe(0, "{0} should not evaluate", body);
        run.Stderr.Should().Contain(message);
    }

    [ToolFact("nix-instantiate")]
    public void MkIf_false_defines_nothing_and_mkIf_true_defines_its_content() =>
        ShouldEvaluateTo("lib.evaluate [ { a = lib.mkIf false 1; b = lib.mkIf true 2; c.d = lib.mkIf false 3; } ]", """{"b":2}""");

    [ToolFact("nix-instantiate")]
    public void An_attribute_set_written_empty_is_defined_as_empty() =>
        ShouldEvaluateTo("lib.evaluate [ { e = { }; f = { g = lib.mkIf false 1; }; } ]", """{"e":{}}""");

    [ToolFact("nix-instantiate")]
    public void MkIf_false_around_a_whole_block_inside_mkMerge_drops_the_block() =>
        ShouldEvaluateTo("lib.evaluate [ (lib.mkMerge [ (lib.mkIf false { x = 1; y.z = 2; }) { y.w = 3; } ]) ]", """{"y":{"w":3}}""");

    [ToolFact("nix-instantiate")]
    public void MkIf_refuses_a_condition_that_is_not_a_boolean() =>
        ShouldFail("lib.evaluate [ { a = lib.mkIf null 1; } ]", "mkIf called with a non-Boolean condition");

    [ToolFact("nix-instantiate")]
    public void MkIf_false_does_not_evaluate_its_content() =>
        ShouldEvaluateTo("lib.evaluate [ { a = lib.mkIf false (throw \"evaluated\"); b = 1; } ]", """{"b":1}""");

    [ToolFact("nix-instantiate")]
    public void A_plain_definition_beats_mkDefault_in_either_order() =>
        ShouldEvaluateTo(
            "[ (lib.evaluate [ { r = lib.mkDefault \"module\"; } { r = \"host\"; } ]) (lib.evaluate [ { r = \"host\"; } { r = lib.mkDefault \"module\"; } ]) (lib.evaluate [ { r = lib.mkDefault \"module\"; } ]) ]",
            """[{"r":"host"},{"r":"host"},{"r":"module"}]""");

    [ToolFact("nix-instantiate")]
    public void MkDefault_on_an_attribute_set_applies_to_each_attribute() =>
        ShouldEvaluateTo("lib.evaluate [ (lib.mkDefault { a = 1; b = 1; }) { a = 2; c = 3; } ]", """{"a":2,"b":1,"c":3}""");

    [ToolFact("nix-instantiate")]
    public void Different_values_for_one_option_conflict_and_name_the_option() =>
        ShouldFail("lib.evaluate [ { s.x = \"a\"; } { s.x = \"b\"; } ]", "The option `s.x' has conflicting definition values");

    [ToolFact("nix-instantiate")]
    public void Equal_values_agree_lists_concatenate_and_attribute_sets_merge() =>
        ShouldEvaluateTo(
            "lib.evaluate [ { s.x = \"a\"; l = [ 1 ]; n.a = 1; } { s.x = \"a\"; l = [ 2 ]; n.b = 2; } ]",
            """{"l":[1,2],"n":{"a":1,"b":2},"s":{"x":"a"}}""");

    [ToolFact("nix-instantiate")]
    public void An_attribute_set_and_a_value_for_one_option_conflict() =>
        ShouldFail("lib.evaluate [ { s = { x = 1; }; } { s = \"flat\"; } ]", "defined both as an attribute set and as a value");

    [ToolFact("nix-instantiate")]
    public void MkOption_keeps_its_settings_and_types_path_accepts_absolute_paths_only() =>
        ShouldEvaluateTo(
            "let o = lib.mkOption { default = 1; description = \"d\"; }; in [ o.default o.description o._type (lib.types.path.check \"/etc/x\") (lib.types.path.check \"etc/x\") (lib.types.path.check ./x) ]",
            """[1,"d","option",true,false,true]""");
}
