using System.Text.RegularExpressions;

using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Tests.Nixos;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Security;

/// <summary>
/// Every SSH connection the deploy makes checks the host's key: NixOS steps through pulumi-command's fixed host key
/// (without one it calls ssh.InsecureIgnoreHostKey: provider/pkg/provider/remote/connection.go, SSHConfig), Docker
/// engines over ssh:// through the ssh client and known_hosts, with nothing in any program turning that off.
/// </summary>
public partial class SshHostKeyTests
{
    public static TheoryData<string> Examples() => new(Repo.ExampleStacks());

    public static TheoryData<string, string, string> NixosVariants() => new()
    {
        { "nvidia", "internal", "capped" },
        { "none", "off", "none" },
        { "amd", "acme", "capped" },
        { "intel", "none", "none" },
    };

    [Fact]
    public void Every_remote_step_of_grey_area_checks_the_declared_host_key()
    {
        var spec = Stacks.Load("grey-area");
        var program = Compiler.Compile(spec);
        var remote = program.Resources.Where(r => r.Type.StartsWith("command:remote:", StringComparison.Ordinal)).ToList();

        remote.Should().NotBeEmpty();
        remote.Should().OnlyContain(r => HostKeyOf(r) == "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKriHtjngdTCNgqPx7WTLWEJp8ZOyODHmLBkM35isBNA");
    }

    [Theory]
    [MemberData(nameof(NixosVariants))]
    public void Every_remote_step_of_a_nixos_variant_checks_its_host_key(string gpu, string proxy, string limits)
    {
        var program = Compiler.Compile(NixosStacks.Variant(gpu, proxy, limits));

        program.Resources.Where(r => r.Type.StartsWith("command:remote:", StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(r => HostKeyOf(r) == NixosStacks.HostKey);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void No_compiled_example_program_turns_host_key_checking_off(string stack)
    {
        var spec = Stacks.Load(stack);
        var text = ProgramEmitter.Emit(Compiler.Compile(spec));

        InsecureSshOption().Matches(text).Should().BeEmpty("no option may make ssh accept an unknown or changed host key");
        foreach (var host in spec.Hosts.OfType<DockerHostSpec>().Where(h => !h.IsLocal))
        {
            text.Should().Contain("- BatchMode=yes", $"'{host.Name}' is reached over ssh://, where an unknown key must fail instead of prompting");
        }
    }

    [Fact]
    public void The_remote_docker_provider_passes_only_batch_mode_and_a_timeout_to_ssh()
    {
        var program = Compiler.Compile(Stacks.Load("gpu-box"));

        var provider = program.Resources.Single(r => r.Type == "pulumi:providers:docker");

        ((ListValue)provider.Properties["sshOpts"]!).Items.Should().Equal(new Text("-o"), new Text("BatchMode=yes"), new Text("-o"), new Text("ConnectTimeout=15"));
    }

    [Fact]
    public void A_nixos_host_without_a_host_key_is_refused_with_the_commands_to_get_and_check_it()
    {
        var yaml = NixosStacks.VariantYaml("none", "off", "none").Replace(", hostKey: " + NixosStacks.HostKey, "", StringComparison.Ordinal);

        var diagnostic = Refusal(yaml, "has no ssh hostKey");

        diagnostic.At.Line.Should().Be(5, "the error points at the host's 'ssh:' key");
        diagnostic.Fix.Should().Contain("ssh-keyscan -t ed25519 box.lan 2>/dev/null | cut -d' ' -f2,3")
            .And.Contain("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub");
    }

    [Fact]
    public void A_nixos_host_with_no_ssh_section_is_refused_at_the_host()
    {
        var yaml = NixosStacks.VariantYaml("none", "off", "none").Replace("    ssh: { user: deploy, hostKey: " + NixosStacks.HostKey + " }\n", "", StringComparison.Ordinal);

        Refusal(yaml, "has no ssh hostKey").At.Line.Should().Be(2);
    }

    [Fact]
    public void A_non_standard_ssh_port_is_part_of_the_scan_command()
    {
        var yaml = NixosStacks.VariantYaml("none", "off", "none").Replace(", hostKey: " + NixosStacks.HostKey, ", port: 2222", StringComparison.Ordinal);

        Refusal(yaml, "has no ssh hostKey").Fix.Should().Contain("ssh-keyscan -t ed25519 -p 2222 box.lan");
    }

    [Theory]
    [InlineData("AAAAC3NzaC1lZDI1NTE5AAAAIKriHtjngdTCNgqPx7WTLWEJp8ZOyODHmLBkM35isBNA")]
    [InlineData("ssh-ed25519")]
    [InlineData("ssh-dss AAAAB3NzaC1kc3MAAACBAPcoAAAAAAAAAAAAAAAAAAA")]
    [InlineData("box.lan ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKriHtjngdTCNgqPx7WTLWEJp8ZOyODHmLBkM35isBNA")]
    [InlineData("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIKriHtjngdTCNgqPx7WTLWEJp8ZOyODHmLBkM35isBNA")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKriHtjngdTCNgqPx7WTLWEJp8ZOyODHmLBkM35isBN")]
    [InlineData("ssh-ed25519 not base64 at all!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    public void A_host_key_that_is_not_a_public_key_line_is_refused_at_its_position(string key)
    {
        var yaml = NixosStacks.VariantYaml("none", "off", "none").Replace(NixosStacks.HostKey, $"'{key}'", StringComparison.Ordinal);

        var diagnostic = Refusal(yaml, "ssh hostKey is not an SSH public key line");

        diagnostic.At.Line.Should().Be(5);
        diagnostic.Fix.Should().Contain("ssh-keyscan -t ed25519 box.lan");
    }

    [Fact]
    public void A_key_line_with_a_comment_is_accepted_and_written_without_it()
    {
        var spec = Stacks.Parse(NixosStacks.VariantYaml("none", "off", "none").Replace(NixosStacks.HostKey, $"'{NixosStacks.HostKey} root@box'", StringComparison.Ordinal));

        NixosStacks.OnlyHost(spec).Ssh.HostKey!.ToString().Should().Be(NixosStacks.HostKey);
    }

    [ToolFact("ssh-keygen")]
    public async Task Keys_of_every_type_ssh_keygen_makes_are_accepted()
    {
        var folder = Directory.CreateTempSubdirectory("homelab-hostkey-").FullName;
        try
        {
            foreach (var type in new[] { "ed25519", "ecdsa", "rsa" })
            {
                var path = Path.Combine(folder, type);
                var run = ProcessRunner.Run("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", "made-for-test", "-f", path], folder);
                run.ExitCode.Should().Be(0, run.Stderr);
                var line = (await File.ReadAllTextAsync(path + ".pub")).Trim();

                SshHostKey.Parse(line).Should().NotBeNull(line);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string? HostKeyOf(Resource resource) =>
        resource.Properties["connection"] is MapValue connection && connection["hostKey"] is Text key ? key.Value : null;

    private static Diagnostic Refusal(string yaml, string problem)
    {
        var load = () => Stacks.Parse(yaml);
        var diagnostics = load.Should().Throw<StackFileException>().Which.Diagnostics;
        return diagnostics.Should().ContainSingle(d => d.Problem.Contains(problem, StringComparison.Ordinal), string.Join("\n", diagnostics)).Which;
    }

    /// <summary>Any ssh option (in any spelling ssh accepts) that would skip or weaken host key checking.</summary>
    [GeneratedRegex("StrictHostKeyChecking|UserKnownHostsFile|GlobalKnownHostsFile|KnownHostsCommand|CheckHostIP|VerifyHostKeyDNS|InsecureIgnoreHostKey", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InsecureSshOption();
}
