using HomeLab.Tests.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Cli;

/// <summary>What an operator sees in a terminal when a stack file is wrong: positioned lines, exit 2, no stack trace.</summary>
public sealed class BadInputExitCodeTests : IDisposable
{
    private readonly string workspace = Directory.CreateTempSubdirectory("homelab-bad-").FullName;

    public BadInputExitCodeTests()
    {
        File.WriteAllText(Path.Combine(workspace, "Pulumi.yaml"), "name: homelab\nruntime: yaml\n");
        Directory.CreateDirectory(Path.Combine(workspace, "stacks"));
    }

    public void Dispose() => Directory.Delete(workspace, recursive: true);

    [Theory]
    [InlineData("validate")]
    [InlineData("compile")]
    [InlineData("plan")]
    public void Every_command_reports_a_bad_stack_with_exit_code_2_and_no_stack_trace(string command)
    {
        File.WriteAllText(Path.Combine(workspace, "stacks", "bad.yaml"), BadStackCases.WithInstance("    resources: { memory: 24GB }"));

        var result = ProcessRunner.Homelab(workspace, null, command, "bad");

        result.ExitCode.Should().Be(2);
        result.Stdout.Should().BeEmpty();
        result.Stderr.Should().StartWith("stacks/bad.yaml:9:26: instance 'ollama' memory '24GB' is ambiguous")
            .And.NotContain("   at ").And.NotContain("Exception");
    }

    [Fact]
    public void A_file_that_is_not_yaml_at_all_is_reported_not_thrown()
    {
        File.WriteAllBytes(Path.Combine(workspace, "stacks", "bad.yaml"), [0xFF, 0xFE, 0x00, 0x7B, 0x7B, 0x0A, 0x5D]);

        var result = ProcessRunner.Homelab(workspace, null, "validate", "bad");

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().StartWith("stacks/bad.yaml:").And.NotContain("   at ");
    }

    [Fact]
    public void An_unknown_stack_lists_the_known_ones()
    {
        File.WriteAllText(Path.Combine(workspace, "stacks", "home.yaml"), BadStackCases.Valid);

        var result = ProcessRunner.Homelab(workspace, null, "compile", "garage");

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Be("homelab: no stack file stacks/garage.yaml — known stacks: home; create stacks/garage.yaml to add one\n");
    }

    [Theory]
    [InlineData("plan", "lcoal")]
    [InlineData("compile", "lcoal")]
    [InlineData("validate", "lcoal")]
    [InlineData("hooks", "lcoal")]
    [InlineData("preview", "lcoal")]
    [InlineData("up", "locl")]
    public void A_mistyped_stack_name_gets_the_nearest_one_suggested(string command, string typed)
    {
        File.WriteAllText(Path.Combine(workspace, "stacks", "local.yaml"), BadStackCases.Valid);
        File.WriteAllText(Path.Combine(workspace, "stacks", "grey-area.yaml"), BadStackCases.Valid);

        var result = ProcessRunner.Homelab(workspace, null, command, typed);

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Be($"homelab: no stack file stacks/{typed}.yaml — did you mean 'local'? (known stacks: grey-area, local)\n");
    }

    [Fact]
    public void A_mistyped_command_gets_the_command_line_it_meant()
    {
        var result = ProcessRunner.Homelab(Repo.Root, null, "plna", "local");

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Be("homelab: 'plna' is not a homelab command — did you mean 'homelab plan local'?\n");
    }

    [Fact]
    public void Help_says_which_stack_arguments_are_optional_and_what_destroy_checks()
    {
        var help = ProcessRunner.Homelab(Repo.Root, null, "--help").Stdout.Split('\n');
        var destroy = ProcessRunner.Homelab(Repo.Root, null, "destroy", "--help").Stdout;

        foreach (var command in new[] { "validate", "compile", "diff" })
        {
            help.Should().ContainSingle(l => l.TrimStart().StartsWith(command + " ", StringComparison.Ordinal))
                .Which.Should().Contain("STACK is optional", "'{0} <STACK>' alone reads as required", command);
        }

        destroy.Should().NotContain("fits the stack").And.NotContain("created on first use", "destroy neither runs the host preflight nor creates a stack");
        help.Should().Contain(l => l.TrimStart().StartsWith("hash-password", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("stacks/local.yaml")]
    [InlineData("./stacks/local.yml")]
    public void A_stack_file_path_gets_the_stack_name_it_names(string typed)
    {
        File.WriteAllText(Path.Combine(workspace, "stacks", "local.yaml"), BadStackCases.Valid);

        var result = ProcessRunner.Homelab(workspace, null, "validate", typed);

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Be($"homelab: '{typed}' is a file; commands take the stack's name — use 'local' (stacks/local.yaml)\n");
    }

    [Fact]
    public void A_stack_name_in_capitals_is_refused_with_the_name_it_meant()
    {
        File.WriteAllText(Path.Combine(workspace, "stacks", "local.yaml"), BadStackCases.Valid);

        var result = ProcessRunner.Homelab(workspace, null, "plan", "Local");

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Be("homelab: 'Local' is not a stack name — stack names use lower-case letters, digits and '-' — did you mean 'local'?\n");
    }

    [Theory]
    [InlineData("hooks", "local", "--only", "everything")]
    [InlineData("compile", "local", "--frobnicate")]
    [InlineData("launch")]
    public void A_wrong_command_line_exits_2_with_a_usage_hint(params string[] arguments)
    {
        var result = ProcessRunner.Homelab(Repo.Root, null, arguments);

        result.ExitCode.Should().Be(2, result.Stderr);
        result.Stdout.Should().BeEmpty();
        result.Stderr.Should().StartWith("homelab: ").And.Contain("--help").And.NotContain("   at ");
    }
}
