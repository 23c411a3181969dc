using HomeLab.Cli;
using HomeLab.Deploy;
using HomeLab.Tests.Support;
using HomeLab.Workspace;

namespace HomeLab.Tests.Deploy;

/// <summary><c>homelab check</c>: what each Docker host has, against what the stack asks, at the setting's position.</summary>
public sealed class HostPreflightTests : IDisposable
{
    private const string Ssh = "ssh -o BatchMode=yes -o ConnectTimeout=15 -p 22 ops@gpu-box.lan";

    private readonly TempRepo repo = TempRepo.WithExamples();
    private readonly StringWriter output = new();

    public void Dispose()
    {
        output.Dispose();
        repo.Dispose();
    }

    private int Check(FakeTools tools, string stack = "local") => CheckCommand.Run(tools, new ProjectDirectory(repo.Root), stack, output);

    private static FakeTools LocalHost(int cpus = 2, long memory = 8 * FakeDockerHost.GiB) =>
        new FakeTools().Answer("docker info", 0, FakeDockerHost.Info(cpus, memory));

    private static FakeTools GpuBox(string[]? runtimes = null, string[]? cdi = null, long memory = 64 * FakeDockerHost.GiB) => new FakeTools()
        .Answer($"{Ssh} docker info", 0, FakeDockerHost.Info(16, memory, runtimes, cdi))
        .Answer($"{Ssh} sh -c", 0, "@@homelab-paths\nd /srv/ollama/a\nd /srv/ollama/b\n")
        .Answer($"{Ssh} sh -c 'nvidia-smi", 0, "0, GPU-1111\n1, GPU-2222\n");

    [Fact]
    public void The_shipped_local_example_fits_a_two_core_eight_gib_machine()
    {
        var tools = LocalHost();

        Check(tools).Should().Be(ExitCodes.Ok, output.ToString());

        output.ToString().Should().Be("host 'local': ok (Docker 20.10.24+dfsg1, 2 CPU(s), 8 GiB)\n");
        tools.CapturedLines.Should().StartWith(["docker info --format {{json .}}"]);
    }

    [Fact]
    public void A_stack_without_a_docker_host_says_what_was_checked_and_who_checks_the_rest()
    {
        var tools = new FakeTools();

        Check(tools, "grey-area").Should().Be(ExitCodes.Ok);

        output.ToString().Should().Be("no Docker host to check: the stack file is valid, and NixOS host(s) 'grey-area' are checked by their own preflight step on the host during the deploy (NixOS version, sudo, the import line)\n");
        tools.CapturedLines.Should().BeEmpty();
    }

    [Fact]
    public void An_instance_published_beyond_loopback_is_a_warning_that_names_who_can_reach_it()
    {
        repo.Edit("stacks/local.yaml", "    storage:\n", "    publish: { port: 11434, bind: 0.0.0.0 }\n    storage:\n");

        Check(LocalHost()).Should().Be(ExitCodes.Ok, "a warning never stops a deploy");

        output.ToString().Should().Contain($"stacks/local.yaml:{Line("publish", "bind")}: warning: instance 'ollama' publishes Ollama on 0.0.0.0:11434 without credentials: " +
            "every machine that can reach port 11434 of host 'local' (127.0.0.1) on any of its networks can pull, delete and run models (the proxy's route to it does not protect this port)");
    }

    [Fact]
    public void More_cpus_than_the_host_has_is_reported_at_the_cpus_setting_with_the_fix()
    {
        repo.Edit("stacks/local.yaml", "      cpus: 2\n", "      cpus: 4\n");

        Check(LocalHost()).Should().Be(ExitCodes.BadInput);

        var line = Line("resources", "cpus");
        output.ToString().Should().Be($"stacks/local.yaml:{line}: host 'local': instance 'ollama' asks for cpus 4, the Docker engine has 2 CPU(s) (Docker refuses to create the container) — set cpus to at most 2, or remove it to let Ollama use every CPU\n");
    }

    [Fact]
    public void More_memory_than_the_host_has_is_reported_at_the_memory_setting()
    {
        Check(LocalHost(memory: 4 * FakeDockerHost.GiB)).Should().Be(ExitCodes.BadInput);

        output.ToString().Should().StartWith($"stacks/local.yaml:{Line("resources", "memory")}: host 'local': instance 'ollama' asks for memory 6 GiB, the host has 4 GiB in all — set memory below what the host has, leaving room for the host itself (e.g. 3GiB)");
    }

    /// <summary>
    /// <c>memory</c> is a cap, not a reservation: terraform-provider-docker v4.5.0 sets HostConfig.Memory from it
    /// (resource_docker_container_funcs.go, resourceDockerContainerCreate) and leaves MemoryReservation unset, so
    /// Docker starts every container however the caps add up; the warning is the only place this shows.
    /// </summary>
    [Fact]
    public void Memory_limits_that_each_fit_but_together_exceed_the_host_are_a_warning_at_the_last_one()
    {
        Check(GpuBox(["nvidia", "runc"], memory: 40 * FakeDockerHost.GiB), "gpu-box").Should().Be(ExitCodes.Ok, output.ToString());

        output.ToString().Should().Be(
            "host 'gpu-box': ok (Docker 20.10.24+dfsg1, 16 CPU(s), 40 GiB)\n" +
            $"stacks/gpu-box.yaml:{Line("resources", "memory", stack: "gpu-box", instance: "ollama-b")}: warning: host 'gpu-box': the memory limits of its instances ('ollama-a' 24 GiB, 'ollama-b' 24 GiB) " +
            "add up to 48 GiB, more than the 40 GiB it has; if they load models at the same time the kernel ends one of them (Docker restarts it and its models load again) — " +
            "lower the limits until they add up to less than the host has, leaving room for the host itself; the deploy goes ahead as it is\n");
    }

    [Fact]
    public void Memory_limits_that_fit_together_and_one_that_alone_is_too_big_give_no_warning()
    {
        Check(GpuBox(["nvidia", "runc"], memory: 48 * FakeDockerHost.GiB), "gpu-box").Should().Be(ExitCodes.Ok, output.ToString());
        output.ToString().Should().NotContain("warning");

        output.GetStringBuilder().Clear();
        repo.Edit("stacks/gpu-box.yaml", "      memory: 24GiB\n      cpus: 8\n", "      memory: 30GiB\n      cpus: 8\n");

        Check(GpuBox(["nvidia", "runc"], memory: 28 * FakeDockerHost.GiB), "gpu-box").Should().Be(ExitCodes.BadInput);
        output.ToString().Should().Contain("asks for memory 30 GiB, the host has 28 GiB in all").And.NotContain("warning", "the one that does not fit is the problem to fix");
    }

    [Fact]
    public void Up_prints_the_warning_and_goes_ahead()
    {
        var tools = GpuBox(["nvidia", "runc"], memory: 40 * FakeDockerHost.GiB)
            .Answer("pulumi whoami", 255, error: "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions")
            .Answer("pulumi config --json", 0, "{\"homelab:ciToken\": \"[secret]\", \"homelab:laptopToken\": \"[secret]\", \"homelab:aliceHash\": \"[secret]\", \"homelab:webuiSecretKey\": \"[secret]\"}");
        tools.RunExitCode = 0;
        var environment = new Dictionary<string, string?> { ["PULUMI_CONFIG_PASSPHRASE"] = "x", ["PULUMI_HOME"] = "/nonexistent/pulumi-home" };

        var exit = new PulumiSession(tools, environment, output).Run(new ProjectDirectory(repo.Root), new PulumiRequest(PulumiVerb.Up, "gpu-box", true, []));

        output.ToString().Should().Contain("warning: host 'gpu-box': the memory limits of its instances");
        tools.Ran.Should().ContainSingle(r => r.ToString().StartsWith("pulumi up --stack gpu-box", StringComparison.Ordinal), output.ToString());
        exit.Should().Be(ExitCodes.Ok, output.ToString());
    }

    [Fact]
    public void A_port_another_process_listens_on_is_reported_at_the_proxy_port()
    {
        var tools = LocalHost().Answer("sh -c", 0, FakeDockerHost.ListeningOnLoopback(8080) + "@@homelab-paths\n");

        Check(tools).Should().Be(ExitCodes.BadInput);

        output.ToString().Should().Contain($"stacks/local.yaml:{Line("proxy", "ports", "http")}: host 'local': the proxy's http port 127.0.0.1:8080 is already taken there, by a process listening on 127.0.0.1:8080 — stop what holds it, or choose a free port");
    }

    [Fact]
    public void A_port_another_container_publishes_names_the_container_but_the_stacks_own_proxy_does_not_count()
    {
        var taken = LocalHost().Answer("docker ps", 0, "\tgitea\t0.0.0.0:8080->3000/tcp, :::8080->3000/tcp\n");
        Check(taken).Should().Be(ExitCodes.BadInput);
        output.ToString().Should().Contain("the proxy's http port 127.0.0.1:8080 is already taken there, by container 'gitea'");

        output.GetStringBuilder().Clear();
        var redeploy = LocalHost()
            .Answer("docker ps", 0, "local\thomelab-local-proxy\t127.0.0.1:8080->8080/tcp\nlocal\thomelab-local_ollama\t\n")
            .Answer("sh -c", 0, FakeDockerHost.ListeningOnLoopback(8080) + "@@homelab-paths\n");
        Check(redeploy).Should().Be(ExitCodes.Ok, "a redeploy replaces the stack's own proxy, so its port is not in the way: " + output);
    }

    [Fact]
    public void An_nvidia_instance_on_a_host_without_the_nvidia_runtime_is_reported_with_the_toolkit_fix()
    {
        var tools = GpuBox();

        Check(tools, "gpu-box").Should().Be(ExitCodes.BadInput);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2).And.OnlyContain(l => l.Contains("asks for an NVIDIA GPU, and the Docker engine (20.10.24+dfsg1) has no NVIDIA runtime (runtimes: io.containerd.runc.v2, runc) and no CDI nvidia.com/gpu device — install the NVIDIA driver and the NVIDIA Container Toolkit on the host (https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html), then run 'sudo nvidia-ctk runtime configure --runtime=docker' and 'sudo systemctl restart docker'", StringComparison.Ordinal));
        lines[0].Should().StartWith($"stacks/gpu-box.yaml:{Line("gpu", "vendor", stack: "gpu-box", instance: "ollama-a")}: host 'gpu-box': instance 'ollama-a'");
        tools.CapturedLines.First().Should().Be($"{Ssh} docker info --format '{{{{json .}}}}'", "the check goes over ssh with the docker provider's own sshOpts");
    }

    [Theory]
    [InlineData("nvidia", null)]
    [InlineData(null, "nvidia.com/gpu=0")]
    public void The_nvidia_runtime_or_cdi_devices_satisfy_an_nvidia_instance(string? runtime, string? cdi)
    {
        var tools = GpuBox(runtime is null ? null : ["runc", runtime], cdi is null ? null : [cdi, "nvidia.com/gpu=1"]);

        Check(tools, "gpu-box").Should().Be(ExitCodes.Ok, output.ToString());
    }

    [Fact]
    public void A_device_id_the_host_does_not_have_is_reported_at_the_devices_setting()
    {
        repo.Edit("stacks/gpu-box.yaml", "      devices: [1]\n", "      devices: [3]\n");

        Check(GpuBox(["nvidia", "runc"]), "gpu-box").Should().Be(ExitCodes.BadInput);

        output.ToString().Should().Be($"stacks/gpu-box.yaml:{Line("gpu", "devices", stack: "gpu-box", instance: "ollama-b")}: host 'gpu-box': instance 'ollama-b' asks for NVIDIA device '3', and the host has 0, GPU-1111, 1, GPU-2222 (nvidia-smi) — use a GPU index or UUID that 'nvidia-smi -L' lists on the host\n");
    }

    [Fact]
    public void A_missing_storage_path_and_missing_amd_device_nodes_are_reported()
    {
        repo.Edit("stacks/gpu-box.yaml", "    image: ollama/ollama:0.32.15\n    gpu:\n      vendor: nvidia\n      devices: [0]\n", "    image: ollama/ollama:0.32.15-rocm\n    gpu:\n      vendor: amd\n");
        var tools = GpuBox(["nvidia", "runc"]).Answer($"{Ssh} sh -c", 0, "@@homelab-paths\nd /dev/dri\nf /srv/ollama/b\n");

        Check(tools, "gpu-box").Should().Be(ExitCodes.BadInput);

        var text = output.ToString();
        text.Should().Contain("host 'gpu-box': instance 'ollama-a' asks for an AMD GPU, and the host has no /dev/kfd — install the amdgpu kernel driver with ROCm");
        text.Should().Contain($"stacks/gpu-box.yaml:{Line("storage", "path", stack: "gpu-box", instance: "ollama-a")}: host 'gpu-box': instance 'ollama-a' stores models in /srv/ollama/a, which does not exist on the host");
        text.Should().Contain("instance 'ollama-b' stores models in /srv/ollama/b, which on the host is a file, not a directory — point storage path at a directory");
    }

    [Fact]
    public void An_unreachable_host_is_reported_with_what_ssh_said_and_no_stack_trace()
    {
        var tools = new FakeTools().Answer($"{Ssh} docker info", 255, error: "ssh: connect to host gpu-box.lan port 22: Connection refused\n");

        Check(tools, "gpu-box").Should().Be(ExitCodes.Failed);

        output.ToString().Should().Be("stacks/gpu-box.yaml:6:3: host 'gpu-box' cannot be reached over SSH (ssh://ops@gpu-box.lan): ssh: connect to host gpu-box.lan port 22: Connection refused — " +
            "check that 'ssh -p 22 ops@gpu-box.lan docker info' works without a prompt: load your key (ssh-add), accept the host key once, and let ops use docker there (usermod -aG docker ops)\n");
    }

    [Fact]
    public void Up_stops_before_pulumi_when_a_host_does_not_fit()
    {
        repo.Edit("stacks/local.yaml", "      cpus: 2\n", "      cpus: 4\n");
        var tools = LocalHost();
        var environment = new Dictionary<string, string?> { ["PULUMI_CONFIG_PASSPHRASE"] = "x" };

        new PulumiSession(tools, environment, output).Run(new ProjectDirectory(repo.Root), new PulumiRequest(PulumiVerb.Up, "local", true, [])).Should().Be(ExitCodes.BadInput);

        output.ToString().Should().Contain("homelab up: stack 'local' does not fit its host(s); nothing was deployed:").And.Contain("asks for cpus 4, the Docker engine has 2 CPU(s)");
        tools.CapturedLines.Should().NotContain(l => l.StartsWith("pulumi", StringComparison.Ordinal));
        tools.Ran.Should().BeEmpty();
    }

    [Fact]
    public void Homelab_check_with_a_stand_in_docker_on_path_exits_2_with_the_position_and_the_fix()
    {
        repo.Edit("stacks/local.yaml", "      cpus: 2\n", "      cpus: 3\n");
        var bin = Directory.CreateTempSubdirectory("homelab-docker-").FullName;
        var docker = Path.Combine(bin, "docker");
        File.WriteAllText(docker, $"#!/bin/sh\ncase \"$1\" in info) echo '{FakeDockerHost.Info(2, 8 * FakeDockerHost.GiB)}' ;; *) ;; esac\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(docker, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var result = ProcessRunner.Homelab(repo.Root, new Dictionary<string, string?> { ["PATH"] = $"{bin}:/usr/bin:/bin" }, "check", "local");
        Directory.Delete(bin, recursive: true);

        result.ExitCode.Should().Be(ExitCodes.BadInput, result.Stderr);
        result.Stderr.Should().Contain($"stacks/local.yaml:{Line("resources", "cpus")}: host 'local': instance 'ollama' asks for cpus 3, the Docker engine has 2 CPU(s)").And.Contain("— set cpus to at most 2");
        result.Stderr.Should().NotContain("   at ");
    }

    /// <summary>"line:column" of a key under an instance (or the top-level path), read from the stack file as written.</summary>
    private string Line(string first, string second, string? third = null, string stack = "local", string instance = "ollama")
    {
        var positions = HomeLab.Spec.SettingPositions.Of(repo.Read($"stacks/{stack}.yaml"), "x");
        var at = first == "proxy"
            ? positions.At(first, second, third!)
            : positions.At("instances", instance, first, second);
        var lines = repo.Read($"stacks/{stack}.yaml").Split('\n');
        lines[at.Line - 1][(at.Column - 1)..].Should().StartWith(third ?? second, "the position points at the setting itself");
        return at.ToString();
    }
}
