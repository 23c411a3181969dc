using System.Text.RegularExpressions;

using HomeLab.Tests.Support;
using HomeLab.Tools;

using Xunit.Abstractions;

using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.Workflows;

/// <summary>The GitHub and Forgejo workflows, parsed, so a broken workflow fails here before it fails on a forge.</summary>
public partial class WorkflowTests
{
    private static readonly string[] BackendSecrets = ["PULUMI_BACKEND_URL", "PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE"];

    public static TheoryData<string> Forges() => new(Workflow.Forges);

    public static TheoryData<string, string> AllWorkflows()
    {
        var data = new TheoryData<string, string>();
        foreach (var workflow in Workflow.Forges.SelectMany(Workflow.All))
        {
            data.Add(workflow.Forge, workflow.File);
        }

        return data;
    }

    private static string Script(string name) => File.ReadAllText(Path.Combine(Repo.Root, ".ci", name));

    [Theory]
    [MemberData(nameof(Forges))]
    public void Each_forge_has_a_pull_request_and_a_deploy_workflow(string forge)
    {
        Workflow.All(forge).Select(w => w.File).Should().Equal("deploy.yml", "pull-request.yml");
        Workflow.On(forge, "pull_request").File.Should().Be("pull-request.yml");
        Workflow.On(forge, "push").File.Should().Be("deploy.yml");
    }

    [Theory]
    [MemberData(nameof(Forges))]
    public void A_pull_request_is_built_tested_validated_and_the_program_diff_is_posted(string forge)
    {
        var workflow = Workflow.On(forge, "pull_request");
        workflow.Branches("pull_request").Should().Equal("main");

        var build = workflow.Jobs["build"].AllRuns;
        build.Should().Contain("dotnet build HomeLab.csproj --configuration Release")
            .And.Contain("dotnet test tests/HomeLab.Tests")
            .And.Contain("dotnet run --project HomeLab.csproj --configuration Release --no-build -- validate")
            .And.Contain("--verify-no-changes")
            .And.Contain("caddy nix-bin clang", "with CI=true the tests that run caddy, nix-instantiate and the native build must find them");

        // Strict like .ci/run: only what the job declares absent may skip.
        var test = workflow.Jobs["build"].Steps.Single(s => s.Run == "dotnet test tests/HomeLab.Tests");
        test.Env["CI"].Should().Be("true");
        test.Env[ExternalTool.UnavailableVariable].Split(' ').Should().Equal(forge == "github" ? ["reference"] : ["reference", "docker"],
            "a plain checkout has no reference data, and a Forgejo job container has no Docker engine");

        var diff = workflow.Jobs["diff"];
        diff.AllRuns.Should().Contain("-- diff").And.Contain("--format markdown > diff.md").And.Contain("if [ \"$code\" -ge 2 ]; then exit \"$code\"; fi");
        var comment = diff.Steps.Should().ContainSingle(s => s.Run != null && s.Run.StartsWith(".ci/pr-comment", StringComparison.Ordinal)).Which;
        comment.Run.Should().Be(".ci/pr-comment homelab-diff diff.md");
        comment.Env.Keys.Should().BeEquivalentTo("FORGE_API", "FORGE_TOKEN", "REPOSITORY", "PR_NUMBER");
        comment.Env["FORGE_TOKEN"].Should().Be("${{ secrets.GITHUB_TOKEN }}");
        comment.Env["PR_NUMBER"].Should().Be("${{ github.event.pull_request.number }}");
        comment.Env["FORGE_API"].Should().Be(forge == "github" ? "${{ github.api_url }}" : "${{ github.server_url }}/api/v1");
    }

    [Theory]
    [MemberData(nameof(Forges))]
    public void The_diff_job_is_never_skipped(string forge)
    {
        var diff = Workflow.On(forge, "pull_request").Jobs["diff"];

        diff.If.Should().BeNull();
        diff.Needs.Should().BeEmpty("a job that needs another is skipped when that one fails or is skipped");
        diff.Steps.Should().OnlyContain(s => s.If == null);
        string.Join("\n", diff.Steps.SelectMany(s => s.Env.Values)).Should().NotContain("PULUMI");
    }

    [Theory]
    [MemberData(nameof(Forges))]
    public void The_backend_decision_depends_on_the_secrets_and_the_stack_list_feeds_the_matrix(string forge)
    {
        foreach (var workflow in Workflow.All(forge))
        {
            var stacks = workflow.Jobs["stacks"];
            stacks.Outputs.Should().Equal(new Dictionary<string, string>
            {
                ["stacks"] = "${{ steps.list.outputs.stacks }}",
                ["backend"] = "${{ steps.backend.outputs.configured }}",
            });
            stacks.Steps.Single(s => s.Run?.Contains(".ci/list-stacks", StringComparison.Ordinal) == true).Run.Should().Contain(">> \"$GITHUB_OUTPUT\"");
            var backend = stacks.Steps.Should().ContainSingle(s => s.Run == ".ci/backend-configured").Which;
            backend.Env.Should().Equal(BackendSecrets.ToDictionary(s => s, s => $"${{{{ secrets.{s} }}}}"));
        }

        Script("backend-configured").Should().Contain("PULUMI_ACCESS_TOKEN").And.Contain("PULUMI_BACKEND_URL").And.Contain("PULUMI_CONFIG_PASSPHRASE").And.Contain("configured=");
    }

    [Theory]
    [MemberData(nameof(Forges))]
    public void Pull_requests_preview_every_stack_only_when_the_backend_secrets_are_there(string forge)
    {
        var jobs = Workflow.On(forge, "pull_request").Jobs;
        var preview = jobs["preview"];

        preview.Needs.Should().Equal("stacks");
        preview.If.Should().Be("needs.stacks.outputs.backend == 'true'");
        preview.Matrix("stack").Should().Be("${{ fromJSON(needs.stacks.outputs.stacks) }}");
        preview.Env["STACK"].Should().Be("${{ matrix.stack }}");
        foreach (var secret in BackendSecrets)
        {
            preview.Env[secret].Should().Be($"${{{{ secrets.{secret} }}}}");
        }

        var runs = preview.Steps.Select(s => s.Run).OfType<string>().ToList();
        runs.Should().ContainInOrder(".ci/install-pulumi", "dotnet build HomeLab.csproj --configuration Release", ".ci/pulumi-preview \"$STACK\" preview.md", ".ci/pr-comment \"homelab-preview-$STACK\" preview.md");
        Script("pulumi-preview").Should().Contain("pulumi preview --stack \"$stack\" --non-interactive");

        var skipped = jobs["preview-skipped"];
        skipped.Needs.Should().Equal("stacks");
        skipped.If.Should().Be("needs.stacks.outputs.backend != 'true'");
        skipped.AllRuns.Should().Contain("::notice");
    }

    [Fact]
    public void On_github_pulumi_up_runs_only_on_push_to_main_behind_the_production_environment()
    {
        var deploy = Workflow.On("github", "push");
        deploy.Triggers.Should().Equal("push");
        deploy.Branches("push").Should().Equal("main");
        var up = deploy.Jobs["up"];

        up.Environment.Should().Be("production");
        up.If.Should().Contain("github.event_name == 'push'").And.Contain("github.ref == 'refs/heads/main'").And.Contain("needs.stacks.outputs.backend == 'true'");
        up.Matrix("stack").Should().Be("${{ fromJSON(needs.stacks.outputs.stacks) }}");
        up.Steps.Select(s => s.Run).OfType<string>().Should().ContainInOrder(
            ".ci/install-pulumi",
            "pulumi stack select --create \"$STACK\" --non-interactive",
            "pulumi up --stack \"$STACK\" --yes --non-interactive --color never");
        PulumiUpJobs().Should().Equal(("github", "deploy.yml", "up"), ("forgejo", "deploy.yml", "up"));
    }

    [Fact]
    public void On_forgejo_pulumi_up_runs_only_when_started_by_hand_on_main_and_a_push_only_previews()
    {
        var deploy = Workflow.On("forgejo", "push");
        deploy.Triggers.Should().Equal("push", "workflow_dispatch");
        deploy.Branches("push").Should().Equal("main");
        var up = deploy.Jobs["up"];

        up.If.Should().Contain("github.event_name == 'workflow_dispatch'").And.Contain("github.ref == 'refs/heads/main'").And.Contain("needs.stacks.outputs.backend == 'true'");
        up.AllRuns.Should().Contain("pulumi up --stack \"$STACK\" --yes");
        var preview = deploy.Jobs["preview"];
        preview.If.Should().Contain("github.event_name == 'push'");
        preview.AllRuns.Should().Contain(".ci/pulumi-preview").And.NotContain("pulumi up");
    }

    /// <summary>Every job, in every workflow, that runs pulumi up.</summary>
    private static List<(string Forge, string File, string Job)> PulumiUpJobs() =>
        Workflow.Forges.SelectMany(f => Workflow.All(f)).SelectMany(w => w.Jobs.Values
            .Where(j => j.AllRuns.Contains("pulumi up", StringComparison.Ordinal))
            .Select(j => (w.Forge, w.File, j.Id))).ToList();

    /// <summary>
    /// The deploy workflow publishes the native binary for both Linux architectures as a build artefact: with the
    /// toolchain script (clang; the cross-linking parts where the runner's architecture differs), NativeAOT, and the
    /// file the README tells an operator to install.
    /// </summary>
    [Theory]
    [MemberData(nameof(Forges))]
    public void The_deploy_workflow_publishes_the_native_binary_for_linux_x64_and_arm64_as_an_artefact(string forge)
    {
        var native = Workflow.On(forge, "push").Jobs["native"];

        var matrix = (YamlMappingNode)((YamlMappingNode)native.Node["strategy"])["matrix"];
        var rids = matrix.Children.TryGetValue(new YamlScalarNode("include"), out var include)
            ? ((YamlSequenceNode)include).Children.Select(row => ((YamlMappingNode)row)["rid"].ToString())
            : ((YamlSequenceNode)matrix["rid"]).Children.Select(rid => rid.ToString());
        rids.Should().Equal("linux-x64", "linux-arm64");
        native.Env["RID"].Should().Be("${{ matrix.rid }}");
        native.If.Should().BeNull("the artefact does not depend on a Pulumi backend");
        var runs = native.Steps.Select(s => s.Run).OfType<string>().ToList();
        runs.Should().Contain(".ci/install-native-toolchain \"$RID\"")
            .And.Contain("dotnet publish HomeLab.csproj --configuration Release --runtime \"$RID\" -p:PublishAot=true --output \"native/$RID\"");
        var steps = ((YamlSequenceNode)native.Node["steps"]).Children.Cast<YamlMappingNode>();
        var upload = steps.Should().ContainSingle(s => (Workflow.Text(s, "uses") ?? "").StartsWith("actions/upload-artifact@", StringComparison.Ordinal)).Which;
        Workflow.Text(upload, "uses").Should().EndWith(forge == "github" ? "@v4.6.2" : "@v3.2.1", "Forgejo's artifact store speaks the v3 protocol only");
        var with = (YamlMappingNode)upload["with"];
        Workflow.Text(with, "name").Should().Be("homelab-${{ matrix.rid }}");
        Workflow.Text(with, "path").Should().Be("native/${{ matrix.rid }}/homelab");
        Workflow.Text(with, "if-no-files-found").Should().Be("error");
    }

    /// <summary>The toolchain script knows the two architectures the workflows build and refuses others in one line.</summary>
    [ToolFact("bash")]
    public void The_native_toolchain_script_refuses_an_unknown_runtime_identifier()
    {
        var result = SystemToolRunner.Instance.Capture(new ToolCall("bash", Repo.Root, ".ci/install-native-toolchain", "win-x64"), TimeSpan.FromSeconds(10));

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("no native build for 'win-x64': linux-x64 or linux-arm64");
    }

    [Theory]
    [MemberData(nameof(AllWorkflows))]
    public void Every_action_is_pinned_to_a_commit_or_a_full_version(string forge, string file)
    {
        var workflow = Workflow.Load(forge, Path.Combine(Repo.Root, $".{forge}", "workflows", file));
        var uses = workflow.Jobs.Values.SelectMany(j => j.Steps).Select(s => s.Uses).OfType<string>().ToList();

        uses.Where(u => !PinnedAction().IsMatch(u)).Should().BeEmpty("an action runs with the job's token; a moving tag or branch can change under it");
        var images = workflow.Jobs.Values.Select(j => j.Node.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("container"), out var c) ? Workflow.Text((YamlDotNet.RepresentationModel.YamlMappingNode)c, "image") : null).OfType<string>();
        images.Where(i => !PinnedImage().IsMatch(i)).Should().BeEmpty("a job image names at least its major.minor version");
        (uses.Count + images.Count()).Should().BeGreaterThan(0, "every workflow runs pinned actions or images");
    }

    [Fact]
    public void The_pin_rule_refuses_branches_and_major_tags()
    {
        PinnedAction().IsMatch("actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1").Should().BeTrue();
        PinnedAction().IsMatch("pulumi/actions@v6.5.0").Should().BeTrue();
        PinnedAction().IsMatch("actions/checkout@main").Should().BeFalse();
        PinnedAction().IsMatch("actions/checkout@master").Should().BeFalse();
        PinnedAction().IsMatch("actions/checkout@v4").Should().BeFalse();
        PinnedAction().IsMatch("actions/checkout").Should().BeFalse();
    }

    [Fact]
    public void The_pulumi_cli_is_installed_at_a_pinned_version()
    {
        var script = Script("install-pulumi");

        PulumiVersion().IsMatch(script).Should().BeTrue("the script pins PULUMI_VERSION=3.x.y");
        script.Should().Contain("sh -s -- --version \"$PULUMI_VERSION\"");
    }

    [ToolTheory("bash")]
    [MemberData(nameof(AllWorkflows))]
    public void Every_run_block_is_valid_bash(string forge, string file)
    {
        var workflow = Workflow.Load(forge, Path.Combine(Repo.Root, $".{forge}", "workflows", file));
        foreach (var (job, step) in workflow.Jobs.Values.SelectMany(j => j.Steps.Where(s => s.Run is not null).Select(s => (j.Id, s))))
        {
            var script = Path.GetTempFileName();
            File.WriteAllText(script, Expression().Replace(step.Run!, "expr"));
            var result = SystemToolRunner.Instance.Capture(new ToolCall("bash", Repo.Root, "-n", script), TimeSpan.FromSeconds(10));
            File.Delete(script);
            result.ExitCode.Should().Be(0, $"{file} job {job} step '{step.Name ?? step.Run}': {result.Error}");
        }
    }

    [ToolFact("bash")]
    public void Every_ci_script_is_valid_bash_and_executable()
    {
        foreach (var script in Directory.EnumerateFiles(Path.Combine(Repo.Root, ".ci")))
        {
            SystemToolRunner.Instance.Capture(new ToolCall("bash", Repo.Root, "-n", script), TimeSpan.FromSeconds(10)).ExitCode.Should().Be(0, script);
            if (!OperatingSystem.IsWindows())
            {
                (File.GetUnixFileMode(script) & UnixFileMode.UserExecute).Should().NotBe(UnixFileMode.None, $"{script} is run as .ci/NAME");
            }
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-/:]+@([0-9a-f]{40}|v[0-9]+\.[0-9]+\.[0-9]+)$")]
    private static partial Regex PinnedAction();

    [GeneratedRegex(@"^[a-z0-9./-]+:[0-9]+\.[0-9]+[A-Za-z0-9.-]*$")]
    private static partial Regex PinnedImage();

    [GeneratedRegex(@"(?m)^PULUMI_VERSION=3\.[0-9]+\.[0-9]+$")]
    private static partial Regex PulumiVersion();

    [GeneratedRegex(@"\$\{\{.*?\}\}")]
    private static partial Regex Expression();
}
