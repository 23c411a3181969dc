using HomeLab.Cli.Views;
using HomeLab.Program;
using HomeLab.Review;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Review;

public class ProgramDiffTests
{
    /// <summary>The local example with hooks off, so each change below touches only the resources it is about.</summary>
    private static readonly string Local = File.ReadAllText(Path.Combine(Repo.Stacks, "local.yaml")) + "\nhooks: { enabled: false }\n";

    private static PulumiProgram Compile(string yaml) => Compiler.Compile(Stacks.Parse(yaml, "local"));

    private static string Edit(string find, string replace)
    {
        Local.Should().Contain(find);
        return Local.Replace(find, replace, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_program_has_no_changes()
    {
        var diff = ProgramDiff.Compare("local", Compile(Local), Compile(Local));

        diff.HasChanges.Should().BeFalse();
        DiffReport.Summary(diff).Should().Be("no changes");
    }

    [Fact]
    public void A_changed_setting_is_reported_at_its_property_path_with_old_and_new_value()
    {
        var diff = ProgramDiff.Compare("local", Compile(Local), Compile(Edit("keepAlive: 10m", "keepAlive: 30m")));

        var container = diff.Resources.Should().ContainSingle().Which;
        container.Should().BeEquivalentTo(new { Name = "ollama-container", Type = "docker:Container", Kind = ChangeKind.Changed });
        container.Properties.Should().Equal(new PropertyChange("envs[1]", "\"OLLAMA_KEEP_ALIVE=10m\"", "\"OLLAMA_KEEP_ALIVE=30m\""));
    }

    [Fact]
    public void A_list_item_removed_in_the_middle_is_one_removal_not_every_later_item_changed()
    {
        var before = Compile(Local);
        var after = Compile(Edit("      numParallel: 2\n", ""));

        ProgramDiff.Compare("local", before, after).Resources.Should().ContainSingle().Which.Properties.Should()
            .Equal(new PropertyChange("envs[2]", "\"OLLAMA_NUM_PARALLEL=2\"", null));
        ProgramDiff.Compare("local", after, before).Resources.Should().ContainSingle().Which.Properties.Should()
            .Equal(new PropertyChange("envs[2]", null, "\"OLLAMA_NUM_PARALLEL=2\""));
    }

    [Fact]
    public void Resources_added_and_removed_are_listed_with_their_properties()
    {
        var diff = ProgramDiff.Compare("local", Compile(Local), Compile(Edit("      volume: ollama-models\n", "      path: /srv/ollama\n")));

        var removed = diff.Resources.Should().ContainSingle(r => r.Kind == ChangeKind.Removed).Which;
        removed.Should().BeEquivalentTo(new { Name = "ollama-models", Type = "docker:Volume" });
        removed.Properties.Should().Contain(new PropertyChange("name", "\"ollama-models\"", null));
        diff.Resources.Single(r => r.Kind == ChangeKind.Changed).Properties.Should().Equal(
            new PropertyChange("volumes[0].hostPath", null, "\"/srv/ollama\""),
            new PropertyChange("volumes[0].volumeName", "${ollama-models.name}", null));
    }

    [Fact]
    public void A_value_built_from_secret_config_is_masked_and_a_new_secret_key_is_named()
    {
        var diff = ProgramDiff.Compare("local", Compile(Local), Compile(Edit("bearerTokens: [localToken]", "bearerTokens: [localToken, ciToken]")));

        var proxy = diff.Resources.Should().ContainSingle().Which;
        proxy.Properties.Should().Contain(new PropertyChange("envs[1]", null, ProgramDiff.Masked));
        proxy.Properties.Where(p => p.Lines is null).Should().OnlyContain(p => p.Path == "envs[1]");
        diff.Config.Should().Equal(new PropertyChange("ciToken", null, "secret string"));
        AllText(diff).Should().NotContain("${ciToken}").And.NotContain("${localToken}");
    }

    [Fact]
    public void A_secret_swapped_for_another_names_both_keys_but_no_reference()
    {
        var diff = ProgramDiff.Compare("local", Compile(Local), Compile(Edit("bearerTokens: [localToken]", "bearerTokens: [otherToken]")));

        diff.Resources.Should().ContainSingle().Which.Properties.Should().Contain(
            new PropertyChange("envs[0]", "[secret: localToken]", "[secret: otherToken]"));
        AllText(diff).Should().NotContain("${");
    }

    [Fact]
    public void A_multi_line_value_is_shown_as_a_compact_line_diff()
    {
        var diff = ProgramDiff.Compare("local", Compile(Local), Compile(Edit("  auth:\n    bearerTokens: [localToken]\n", "")));

        var proxy = diff.Resources.Should().ContainSingle().Which;
        var upload = proxy.Properties.Should().ContainSingle(p => p.Path == "uploads[0].content").Which;
        upload.Lines.Should().Equal(
            "@@ -21,8 +21,5 @@",
            " \t@not_ollama not path_regexp ^/(api|v1)/",
            " \t@encoded_separator expression \"{http.request.uri}.matches('^[^?]*%(2[fF]|5[cC])')\"",
            "-\t@no_valid_key expression \"!(({env.HOMELAB_BEARER_localToken} != '' && {http.request.header.Authorization} == 'Bearer ' + {env.HOMELAB_BEARER_localToken}))\"",
            " \troute {",
            "-\t\theader @no_valid_key WWW-Authenticate Bearer",
            "-\t\trespond @no_valid_key 401",
            " \t\trespond @encoded_separator 400",
            " \t\thandle {",
            "@@ -31,5 +28,4 @@",
            " \t\t\t\theader_up Host {upstream_hostport}",
            " \t\t\t\theader_up -X-HomeLab-Instance",
            "-\t\t\t\theader_up -Authorization",
            " \t\t\t}",
            " \t\t}");
    }

    [Fact]
    public void A_stack_that_appears_or_disappears_adds_or_removes_every_resource()
    {
        var program = Compile(Local);

        var added = ProgramDiff.Compare("local", null, program);
        var removed = ProgramDiff.Compare("local", program, null);

        added.Presence.Should().Be(ChangeKind.Added);
        added.Resources.Should().HaveCount(program.Resources.Count).And.OnlyContain(r => r.Kind == ChangeKind.Added);
        removed.Presence.Should().Be(ChangeKind.Removed);
        removed.Resources.Should().HaveCount(program.Resources.Count).And.OnlyContain(r => r.Kind == ChangeKind.Removed);
        DiffReport.Summary(added).Should().Be($"new stack, {program.Resources.Count} resources to add");
        DiffReport.Summary(removed).Should().Be($"stack removed, {program.Resources.Count} resources to delete");
        AllText(added).Should().NotContain("${localToken}");
    }

    private static string AllText(StackDiff diff) =>
        string.Join("\n", DiffReport.Render(DiffFormat.Markdown, new DiffBase("main", "0123456789abcdef"), [diff]),
            DiffReport.Render(DiffFormat.Text, new DiffBase("main", "0123456789abcdef"), [diff]),
            DiffReport.Render(DiffFormat.Json, new DiffBase("main", "0123456789abcdef"), [diff]));
}
