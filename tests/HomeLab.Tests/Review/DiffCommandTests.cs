using System.Text.Json.Nodes;

using HomeLab.Cli;
using HomeLab.Cli.Views;
using HomeLab.Review;
using HomeLab.Tests.Support;
using HomeLab.Tools;
using HomeLab.Workspace;

namespace HomeLab.Tests.Review;

/// <summary>homelab diff against a real git repository with two commits.</summary>
public sealed class DiffCommandTests : IDisposable
{
    private readonly TempRepo repo = TempRepo.WithExamples();

    /// <summary>Hooks off, so the expected diffs below are about the resources each change touches and nothing else.</summary>
    public DiffCommandTests()
    {
        foreach (var stack in new[] { "stacks/local.yaml", "stacks/gpu-box.yaml" })
        {
            repo.Write(stack, repo.Read(stack) + "\nhooks: { enabled: false }\n");
        }

        repo.Commit("examples without hooks");
    }

    public void Dispose() => repo.Dispose();

    /// <summary>
    /// On a branch: local.yaml changes a setting, swaps its volume for a host path (a resource removed), adds an
    /// instance (resources added), a second bearer token (a secret) and a balance policy (the Caddyfile);
    /// gpu-box.yaml is deleted and lab.yaml added.
    /// </summary>
    private void ChangeOnBranch()
    {
        repo.Git("checkout", "--quiet", "-b", "feature");
        repo.Edit("stacks/local.yaml", "keepAlive: 10m", "keepAlive: 30m");
        repo.Edit("stacks/local.yaml", "      volume: ollama-models\n", "      path: /srv/ollama\n");
        repo.Edit("stacks/local.yaml", "bearerTokens: [localToken]", "bearerTokens: [localToken, ciToken]");
        repo.Edit("stacks/local.yaml", "    - to: [ollama]\n", "    - to: [ollama, ollama-b]\n      balance: first\n");
        repo.Edit("stacks/local.yaml", "\nproxy:", "  ollama-b:\n    host: local\n    image: ollama/ollama:0.32.15\n    models: [nomic-embed-text:v1.5]\n\nproxy:");
        repo.Delete("stacks/gpu-box.yaml");
        repo.Write("stacks/lab.yaml", repo.Read("stacks/local.yaml"));
        repo.Commit("change local, drop gpu-box, add lab");
    }

    private (int Code, string Output, string Errors) Diff(DiffFormat format, string? against = null, params string[] stacks)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = DiffCommand.Run(new ProjectDirectory(repo.Root), new DiffRequest(against, format, stacks), SystemToolRunner.Instance, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public void Json_lists_added_removed_and_changed_resources_per_stack()
    {
        ChangeOnBranch();

        var (code, output, errors) = Diff(DiffFormat.Json);

        code.Should().Be(1, errors);
        var report = JsonNode.Parse(output)!;
        report["base"]!["ref"]!.GetValue<string>().Should().Be("merge base with main");
        report["base"]!["commit"]!.GetValue<string>().Should().Be(repo.Git("rev-parse", "main").Trim());
        report["changed"]!.GetValue<bool>().Should().BeTrue();
        var stacks = report["stacks"]!.AsArray().ToDictionary(s => s!["stack"]!.GetValue<string>(), s => s!);
        stacks.Keys.Should().Equal("gpu-box", "grey-area", "k3s", "lab", "local");
        stacks["gpu-box"]["status"]!.GetValue<string>().Should().Be("removed");
        stacks["lab"]["status"]!.GetValue<string>().Should().Be("added");

        var local = stacks["local"];
        local["status"]!.GetValue<string>().Should().Be("changed");
        var resources = local["resources"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!);
        resources.ToDictionary(r => r.Key, r => r.Value["change"]!.GetValue<string>()).Should().Equal(new Dictionary<string, string>
        {
            ["ollama-container"] = "changed",
            ["ollama-b-models"] = "added",
            ["ollama-b-container"] = "added",
            ["proxy"] = "changed",
            ["ollama-models"] = "removed",
        });
        var keepAlive = resources["ollama-container"]["properties"]!.AsArray().Single(p => p!["path"]!.GetValue<string>() == "envs[1]")!;
        keepAlive["before"]!.GetValue<string>().Should().Be("\"OLLAMA_KEEP_ALIVE=10m\"");
        keepAlive["after"]!.GetValue<string>().Should().Be("\"OLLAMA_KEEP_ALIVE=30m\"");
        var proxy = resources["proxy"]["properties"]!.AsArray();
        proxy.Single(p => p!["path"]!.GetValue<string>() == "envs[1]")!["after"]!.GetValue<string>().Should().Be("[secret]");
        proxy.Single(p => p!["path"]!.GetValue<string>() == "uploads[0].content")!["lines"]!.AsArray().Select(l => l!.GetValue<string>())
            .Should().Contain(["-\t\t\treverse_proxy ollama:11434 {", "+\t\t\treverse_proxy ollama:11434 ollama-b:11434 {", "+\t\t\t\tlb_policy first"]);
        local["config"]!.AsArray().Should().ContainSingle().Which!["path"]!.GetValue<string>().Should().Be("ciToken");
    }

    [Fact]
    public void Markdown_is_a_pull_request_comment_with_a_summary_and_a_heading_per_changed_stack()
    {
        ChangeOnBranch();

        var (code, output, _) = Diff(DiffFormat.Markdown);

        code.Should().Be(1);
        var lines = output.Split('\n');
        lines[0].Should().Be(MarkdownDiffReport.CommentMarker);
        lines.Should().Contain("**Summary:** `gpu-box`: stack removed, 13 resources to delete · `grey-area`: no changes · `k3s`: no changes · `lab`: new stack, 10 resources to add · `local`: 2 to add, 2 to change, 1 to remove, 2 config/output changes");
        lines.Should().Contain("### `local` — 2 to add, 2 to change, 1 to remove, 2 config/output changes");
        lines.Should().Contain("**Deploying it:** replaced: ollama-container (envs, volumes), proxy (envs, uploads)");
        lines.Should().Contain(["| ~ | `ollama-container` | `docker:Container` | 3 changes | replaced (envs, volumes cannot change in place) |",
            "| - | `ollama-models` | `docker:Volume` | removed |  |", "| + | `ollama-b-models` | `docker:Volume` | added |  |"]);
        lines.Should().Contain(["| ~ | `instance ollama` | `storage` | `volume ollama-models` | `path /srv/ollama` |", "| ~ | `proxy` | `route / balance` | `least_conn` | `first` |"]);
        lines.Should().Contain("| `envs[1]` | `\"OLLAMA_KEEP_ALIVE=10m\"` | `\"OLLAMA_KEEP_ALIVE=30m\"` |");
        lines.Should().Contain("| `envs[1]` | _(none)_ | `[secret]` |");
        lines.Should().Contain(["```diff", "-\t\t\treverse_proxy ollama:11434 {", "+\t\t\treverse_proxy ollama:11434 ollama-b:11434 {", "+\t\t\t\tlb_policy first"]);
        output.Should().NotContain("${ciToken}").And.NotContain("${localToken}");
    }

    [Fact]
    public void Text_shows_each_changed_property_with_old_and_new_value()
    {
        ChangeOnBranch();

        var (code, output, _) = Diff(DiffFormat.Text, "main", "local");

        code.Should().Be(1);
        output.Should().StartWith($"stack files at main ({repo.Git("rev-parse", "main")[..12]}) and now, both compiled by this compiler\n");
        output.Should().Contain("\nlocal: 2 to add, 2 to change, 1 to remove, 2 config/output changes\n  deploying it: replaced: ollama-container (envs, volumes), proxy (envs, uploads)\n");
        output.Should().Contain("\n    ~ instance ollama\n        ~ storage: volume ollama-models → path /srv/ollama\n        ~ tuning.keepAlive: 10m → 30m\n    + instance ollama-b\n");
        output.Should().Contain("\n    ~ proxy\n        ~ auth.bearerTokens: localToken → localToken, ciToken\n        ~ route / to: ollama → ollama, ollama-b\n        ~ route / balance: least_conn → first\n");
        output.Should().Contain("\n  ~ ollama-container (docker:Container) — replaced (envs, volumes cannot change in place)\n      envs[1]: \"OLLAMA_KEEP_ALIVE=10m\" → \"OLLAMA_KEEP_ALIVE=30m\"\n");
        output.Should().Contain("  - ollama-models (docker:Volume)\n");
        output.Should().Contain("      envs[1]: (none) → [secret]\n");
        output.Should().NotContain("gpu-box", "only the stack asked for is compared");
    }

    [Fact]
    public void A_new_claim_size_on_a_Kubernetes_host_warns_that_the_instance_is_recreated_and_its_volumes_kept()
    {
        repo.Git("checkout", "--quiet", "-b", "feature");
        repo.Edit("stacks/k3s.yaml", "size: 200GiB", "size: 400GiB");
        repo.Edit("stacks/k3s.yaml", "keepAlive: 10m", "keepAlive: 20m");
        repo.Commit("bigger volumes for chat, longer keep-alive for coder");

        var (code, output, _) = Diff(DiffFormat.Text, "main", "k3s");

        code.Should().Be(1);
        output.Should().Contain("~ storage.size: 200GiB → 400GiB");
        output.Should().Contain("chat-statefulset (spec.volumeClaimTemplates)");
        output.Should().Contain("warning: instance 'chat' is recreated — all its pods restart; the existing model volumes are kept as they were, so a new storage size or class applies only after deleting the claims models-ollama-chat-N");
        output.Should().Contain("coder-statefulset (kubernetes:apps/v1:StatefulSet) — updated in place", "an environment change rolls the pods without replacing the StatefulSet");
        output.Should().NotContain("warning: instance 'coder'");
    }

    [Fact]
    public void Nothing_changed_exits_0()
    {
        repo.Git("checkout", "--quiet", "-b", "feature");
        repo.Write("README.md", "not a stack\n");
        repo.Commit("docs only");

        var (code, output, _) = Diff(DiffFormat.Text);

        code.Should().Be(0);
        output.Should().Contain("gpu-box: no changes").And.Contain("local: no changes");
    }

    [Fact]
    public void The_default_base_is_where_the_branch_left_main_so_later_main_commits_do_not_show()
    {
        repo.Git("checkout", "--quiet", "-b", "feature");
        repo.Edit("stacks/local.yaml", "keepAlive: 10m", "keepAlive: 30m");
        repo.Commit("feature change");
        repo.Git("checkout", "--quiet", "main");
        repo.Edit("stacks/gpu-box.yaml", "keepAlive: 30m", "keepAlive: 1h");
        repo.Commit("change on main meanwhile");
        repo.Git("checkout", "--quiet", "feature");

        var (code, output, _) = Diff(DiffFormat.Text);

        code.Should().Be(1);
        output.Should().Contain("gpu-box: no changes").And.Contain("local: 0 to add, 1 to change, 0 to remove");
    }

    [Fact]
    public void Uncommitted_edits_in_the_working_tree_count()
    {
        repo.Edit("stacks/local.yaml", "keepAlive: 10m", "keepAlive: 30m");

        var (code, output, _) = Diff(DiffFormat.Text, "HEAD", "local");

        code.Should().Be(1);
        output.Should().Contain("envs[1]: \"OLLAMA_KEEP_ALIVE=10m\" → \"OLLAMA_KEEP_ALIVE=30m\"");
    }

    [Fact]
    public void A_stack_invalid_at_the_base_is_reported_with_its_side_and_position_and_exits_2()
    {
        repo.Edit("stacks/local.yaml", "keepAlive: 10m", "keepAlive: soon");
        repo.Commit("broken");
        repo.Git("checkout", "--quiet", "-b", "feature");
        repo.Edit("stacks/local.yaml", "keepAlive: soon", "keepAlive: 10m");
        repo.Commit("fixed");

        var (code, output, errors) = Diff(DiffFormat.Markdown);

        code.Should().Be(2);
        output.Should().BeEmpty();
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be($"homelab diff: stacks/local.yaml is invalid at merge base with main ({repo.Git("rev-parse", "main")[..12]}):");
        lines[1].Should().MatchRegex("^stacks/local\\.yaml:[0-9]+:[0-9]+: instance 'ollama' keepAlive 'soon' is not a duration — ");
    }

    [Fact]
    public void A_stack_invalid_in_the_working_tree_says_so_and_exits_2()
    {
        repo.Edit("stacks/gpu-box.yaml", "    kind: docker\n", "    kind: podman\n");

        var (code, _, errors) = Diff(DiffFormat.Text, "HEAD");

        code.Should().Be(2);
        errors.Should().StartWith("homelab diff: stacks/gpu-box.yaml is invalid in the working tree:\nstacks/gpu-box.yaml:");
    }

    [Fact]
    public void An_unknown_base_or_stack_is_a_usage_error()
    {
        var badBase = () => Diff(DiffFormat.Text, "no-such-branch");
        var badStack = () => Diff(DiffFormat.Text, "HEAD", "nowhere");

        badBase.Should().Throw<UsageException>().WithMessage("'no-such-branch' is not a commit*");
        var mistyped = () => Diff(DiffFormat.Text, "HEAD", "lcoal");
        badStack.Should().Throw<UsageException>().WithMessage("no stack 'nowhere' at HEAD or in the working tree — known stacks: gpu-box, grey-area, k3s, local");
        mistyped.Should().Throw<UsageException>().WithMessage("no stack 'lcoal' at HEAD or in the working tree — did you mean 'local'? (known stacks: gpu-box, grey-area, k3s, local)");
    }

    [Fact]
    public void The_homelab_executable_exits_0_unchanged_1_changed_2_invalid()
    {
        ProcessRunner.Homelab(repo.Root, null, "diff", "--base", "main").ExitCode.Should().Be(0);

        ChangeOnBranch();
        var changed = ProcessRunner.Homelab(repo.Root, null, "diff");
        changed.ExitCode.Should().Be(1, changed.Stderr);
        changed.Stdout.Should().StartWith(MarkdownDiffReport.CommentMarker);

        repo.Write("stacks/local.yaml", "hosts: [\n");
        var invalid = ProcessRunner.Homelab(repo.Root, null, "diff", "--format", "json");
        invalid.ExitCode.Should().Be(2);
        invalid.Stderr.Should().Contain("stacks/local.yaml is invalid in the working tree").And.NotContain("   at ");
    }
}
