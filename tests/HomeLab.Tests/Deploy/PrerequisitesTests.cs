using HomeLab.Deploy;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Deploy;

public class PrerequisitesTests
{
    [Fact]
    public void A_local_docker_stack_needs_pulumi_dotnet_and_an_answering_docker_engine()
    {
        Prerequisites.For(Stacks.Load("local")).Select(p => (p.Program, Probe: p.Probe is null ? null : string.Join(' ', p.Probe))).Should().Equal(
            ("pulumi", null),
            ("dotnet", null),
            ("docker", null),
            ("docker", "version"));
    }

    [Fact]
    public void A_remote_docker_host_is_probed_over_ssh_in_batch_mode()
    {
        Prerequisites.For(Stacks.Load("gpu-box")).Select(p => (p.Program, Probe: p.Probe is null ? null : string.Join(' ', p.Probe))).Should().Equal(
            ("pulumi", null),
            ("dotnet", null),
            ("ssh", null),
            ("ssh", "-o BatchMode=yes -o ConnectTimeout=15 -p 22 ops@gpu-box.lan docker version"));
    }

    [Fact]
    public void A_nixos_host_needs_ssh_and_an_unused_host_needs_nothing()
    {
        var spec = Stacks.Parse("""
            hosts:
              grey-area: { kind: nixos, address: grey-area.lan, ssh: { user: deploy, hostKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKriHtjngdTCNgqPx7WTLWEJp8ZOyODHmLBkM35isBNA } }
              spare: { kind: docker, engine: "ssh://ops@spare.lan:2222", address: spare.lan }
            instances:
              ollama: { host: grey-area, storage: { path: /var/lib/ollama } }
            hooks: { enabled: false }
            """);

        var needs = Prerequisites.For(spec);

        needs.Select(p => p.Program).Should().Equal("pulumi", "dotnet", "ssh");
        needs[2].What.Should().Be("SSH to reach NixOS host(s) 'grey-area'");
    }

    [Fact]
    public void A_missing_program_is_reported_once_and_its_probe_is_not_run()
    {
        var tools = new FakeTools();
        tools.Installed.Remove("docker");

        var missing = Prerequisites.Missing(Prerequisites.For(Stacks.Load("local")), tools, Repo.Root);

        missing.Should().ContainSingle().Which.Should().StartWith("the Docker CLI for host 'local': 'docker' is not on PATH — install Docker Engine");
        tools.Captured.Should().BeEmpty();
    }
}
