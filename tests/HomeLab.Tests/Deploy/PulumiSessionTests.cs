using HomeLab.Cli;
using HomeLab.Deploy;
using HomeLab.Tests.Support;
using HomeLab.Workspace;

namespace HomeLab.Tests.Deploy;

public sealed class PulumiSessionTests : IDisposable
{
    private readonly TempRepo repo = TempRepo.WithExamples();
    private readonly FakeTools tools = new FakeTools()
        .Answer("pulumi whoami", 255, error: "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions")
        .Answer("pulumi config --json", 0, "{\"homelab:localToken\": \"[secret]\"}")
        .Answer("docker info", 0, FakeDockerHost.Info(2, 8 * FakeDockerHost.GiB));

    private readonly Dictionary<string, string?> environment = new(StringComparer.Ordinal)
    {
        ["PULUMI_CONFIG_PASSPHRASE"] = "correct horse",
        ["PULUMI_HOME"] = "/nonexistent/pulumi-home",
    };

    private readonly StringWriter messages = new();

    public void Dispose()
    {
        messages.Dispose();
        repo.Dispose();
    }

    private string LocalUrl => $"file://{repo.Root}/.pulumi";

    private int Run(PulumiVerb verb, string stack = "local", bool yes = false, params string[] extra) =>
        new PulumiSession(tools, environment, messages).Run(new ProjectDirectory(repo.Root), new PulumiRequest(verb, stack, yes, extra));

    [Fact]
    public void Without_any_backend_up_uses_a_file_backend_in_the_repository_and_creates_the_stack()
    {
        tools.RunExitCode = 0;

        Run(PulumiVerb.Up).Should().Be(0);

        tools.CapturedLines.Should().Equal(
            "docker version",
            "docker info --format {{json .}}",
            "docker ps --format {{.Label \"homelab.stack\"}}\t{{.Names}}\t{{.Ports}}",
            $"sh -c cat /proc/net/tcp /proc/net/tcp6 2>/dev/null; echo @@homelab-paths; for p in ; do if [ -d \"$p\" ]; then echo \"d $p\"; elif [ -e \"$p\" ]; then echo \"f $p\"; fi; done",
            "pulumi whoami --non-interactive",
            "pulumi stack select --create local --non-interactive",
            "pulumi config --json --stack local --non-interactive");
        tools.Captured.Where(c => c.Program == "pulumi" && c.Arguments[0] != "whoami")
            .Should().OnlyContain(c => c.Environment["PULUMI_BACKEND_URL"] == LocalUrl && c.WorkingDirectory == repo.Root);
        var up = tools.Ran.Should().ContainSingle().Which;
        up.ToString().Should().Be("pulumi up --stack local");
        up.Environment.Should().Equal(new Dictionary<string, string> { ["PULUMI_BACKEND_URL"] = LocalUrl, ["PULUMI_STACK"] = "local" });
        Directory.Exists(Path.Combine(repo.Root, ".pulumi")).Should().BeTrue();
        messages.ToString().Should().Contain($"state in the local file backend {LocalUrl}").And.Contain($"export PULUMI_BACKEND_URL={LocalUrl}");
    }

    [Theory]
    [InlineData("up")]
    [InlineData("preview")]
    [InlineData("destroy")]
    public void An_exported_PULUMI_STACK_cannot_redirect_the_run_to_another_stack(string command)
    {
        var verb = Enum.Parse<PulumiVerb>(command, ignoreCase: true);
        environment["PULUMI_STACK"] = "gpu-box";
        tools.RunExitCode = 0;

        Run(verb, "local", yes: true).Should().Be(0);

        var run = tools.Ran.Should().ContainSingle().Which;
        run.ToString().Should().Be($"pulumi {command} --stack local --yes");
        // pulumi-yaml hands the compiler its own PULUMI_STACK and then the inherited environment, which would win.
        run.Environment["PULUMI_STACK"].Should().Be("local");
        tools.Captured.Where(c => c.Program == "pulumi" && c.Arguments[0] != "whoami").Should().OnlyContain(c => c.Environment["PULUMI_STACK"] == "local");
    }

    [Fact]
    public void Pulumis_exit_code_passes_through()
    {
        tools.RunExitCode = 255;

        Run(PulumiVerb.Up).Should().Be(255);
    }

    [Theory]
    [InlineData("PULUMI_BACKEND_URL", "s3://state?endpoint=minio.lan:9000&s3ForcePathStyle=true", "the backend in PULUMI_BACKEND_URL")]
    [InlineData("PULUMI_ACCESS_TOKEN", "pul-0000", "Pulumi Cloud (PULUMI_ACCESS_TOKEN)")]
    public void A_configured_backend_is_used_as_it_is_without_asking_whoami(string variable, string value, string described)
    {
        environment[variable] = value;
        environment.Remove("PULUMI_CONFIG_PASSPHRASE");

        Run(PulumiVerb.Preview).Should().Be(0);

        tools.CapturedLines.Should().NotContain(l => l.StartsWith("pulumi whoami", StringComparison.Ordinal));
        tools.Captured.Concat(tools.Ran).Where(c => c.Program == "pulumi").Should().OnlyContain(c => c.Environment.Count == 1 && c.Environment.ContainsKey("PULUMI_STACK"));
        tools.Ran.Single().ToString().Should().Be("pulumi preview --stack local");
        messages.ToString().Should().Contain($"state in {described}").And.NotContain(value);
    }

    [Fact]
    public void A_logged_in_operator_keeps_their_backend()
    {
        tools.Answer("pulumi whoami", 0, "alice\n");

        Run(PulumiVerb.Up, yes: true).Should().Be(0);

        tools.Ran.Single().Should().BeEquivalentTo(new { Environment = new Dictionary<string, string> { ["PULUMI_STACK"] = "local" } });
        tools.Ran.Single().ToString().Should().Be("pulumi up --stack local --yes");
        Directory.Exists(Path.Combine(repo.Root, ".pulumi")).Should().BeFalse();
    }

    [Fact]
    public void A_failing_login_that_existed_before_is_not_silently_replaced_by_local_state()
    {
        var home = Directory.CreateTempSubdirectory("pulumi-home-").FullName;
        File.WriteAllText(Path.Combine(home, "credentials.json"), "{}");
        environment["PULUMI_HOME"] = home;

        var run = () => Run(PulumiVerb.Up);

        run.Should().Throw<UsageException>().WithMessage($"pulumi whoami failed (error: PULUMI_ACCESS_TOKEN must be set*) although you have logged in*export PULUMI_BACKEND_URL={LocalUrl}");
        tools.Ran.Should().BeEmpty();
        Directory.Delete(home, true);
    }

    [Fact]
    public void The_local_backend_without_a_passphrase_says_how_to_set_one_and_runs_nothing()
    {
        environment.Remove("PULUMI_CONFIG_PASSPHRASE");

        Run(PulumiVerb.Up).Should().Be(2);

        messages.ToString().Should().Contain("export PULUMI_CONFIG_PASSPHRASE='<passphrase>'");
        tools.Ran.Should().BeEmpty();
        tools.CapturedLines.Should().NotContain(l => l.StartsWith("pulumi stack", StringComparison.Ordinal));
    }

    [Fact]
    public void Secrets_the_stack_names_but_the_config_lacks_are_listed_with_the_commands_that_set_them()
    {
        tools.Answer("pulumi config --json", 0, "{\"homelab:otherKey\": \"[secret]\"}");

        Run(PulumiVerb.Up).Should().Be(2);

        messages.ToString().Should().Contain("needs secret config that is not set: localToken — run: homelab secrets local --set-missing")
            .And.NotContain("pulumi config set", "a value on pulumi's command line would be in the process list and the shell history");
        tools.Ran.Should().BeEmpty();
    }

    [Fact]
    public void Everything_missing_is_reported_at_once_pulumi_the_passphrase_and_the_secrets()
    {
        tools.Installed.Remove("pulumi");
        environment.Remove("PULUMI_CONFIG_PASSPHRASE");

        Run(PulumiVerb.Up).Should().Be(2);

        var lines = messages.ToString().Split('\n');
        lines[0].Should().Be("homelab up: cannot start yet, 3 thing(s) to do first:");
        lines[1].Should().StartWith("  - the Pulumi CLI: 'pulumi' is not on PATH — install the Pulumi CLI");
        lines[2].Should().StartWith("  - homelab: the local backend encrypts this stack's secrets with a passphrase, and none is set");
        lines[3].Should().StartWith("  - stack 'local' needs secret config that is not set: localToken — run: homelab secrets local --set-missing");
        tools.Ran.Should().BeEmpty();
        tools.CapturedLines.Should().NotContain(l => l.StartsWith("pulumi", StringComparison.Ordinal));
    }

    [Fact]
    public void Destroy_does_not_create_a_missing_stack_and_does_not_need_secrets()
    {
        tools.Answer("pulumi stack select local", 255, error: "error: no stack named 'local' found\n");

        Run(PulumiVerb.Destroy).Should().Be(255);

        tools.CapturedLines.Should().Contain("pulumi stack select local --non-interactive").And.NotContain(l => l.Contains("--create", StringComparison.Ordinal));
        messages.ToString().Should().Contain("error: no stack named 'local' found").And.Contain("nothing to destroy");
        tools.Ran.Should().BeEmpty();
    }

    [Fact]
    public void Destroy_runs_pulumi_destroy_with_extra_arguments()
    {
        Run(PulumiVerb.Destroy, "local", true, "--target", "urn:pulumi:local::homelab::docker:index/container:Container::ollama-container").Should().Be(0);

        tools.Ran.Single().Arguments.Should().Equal("destroy", "--stack", "local", "--yes", "--target", "urn:pulumi:local::homelab::docker:index/container:Container::ollama-container");
        tools.CapturedLines.Should().NotContain(l => l.StartsWith("pulumi config", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_pulumi_is_reported_with_the_install_hint_and_exit_2_before_anything_runs()
    {
        tools.Installed.Remove("pulumi");

        Run(PulumiVerb.Up).Should().Be(2);

        messages.ToString().Should().Contain("the Pulumi CLI: 'pulumi' is not on PATH — install the Pulumi CLI: curl -fsSL https://get.pulumi.com | sh");
        tools.Ran.Should().BeEmpty();
        tools.CapturedLines.Should().NotContain(l => l.StartsWith("pulumi", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unreachable_docker_engine_is_reported_with_what_docker_said()
    {
        tools.Answer("docker version", 1, "Client: Docker Engine\n", "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n");

        Run(PulumiVerb.Preview).Should().Be(2);

        messages.ToString().Should().Contain("the local Docker engine for host 'local': 'docker version' failed (Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?) — start the Docker daemon");
        tools.Ran.Should().BeEmpty();
    }

    [Fact]
    public void An_invalid_stack_file_stops_before_any_tool_runs()
    {
        repo.Edit("stacks/local.yaml", "    kind: docker\n", "    kind: podman\n");

        var run = () => Run(PulumiVerb.Up);

        run.Should().Throw<HomeLab.Spec.StackFileException>();
        tools.Captured.Should().BeEmpty();
    }
}
