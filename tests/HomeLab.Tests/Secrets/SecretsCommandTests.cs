using System.Globalization;

using HomeLab.Cli;
using HomeLab.Modules;
using HomeLab.Modules.Proxy;
using HomeLab.Tests.Support;
using HomeLab.Workspace;

namespace HomeLab.Tests.Secrets;

public class SecretsCommandTests
{
    /// <summary>
    /// A stand-in pulumi on PATH: records each call's arguments (one per line) and its stdin, and for
    /// 'config set --secret KEY --stack S' writes KEY as a secure entry to stacks/Pulumi.S.yaml as pulumi would.
    /// </summary>
    private const string FakePulumi = """
        #!/bin/sh
        n=$(ls "$FAKE_PULUMI_LOG" | wc -l)
        printf '%s\n' "$@" > "$FAKE_PULUMI_LOG/$n.args"
        cat > "$FAKE_PULUMI_LOG/$n.stdin"
        if [ "$1 $2 $3" = "config set --secret" ]; then
          sed -i 's/^config: {}$/config:/' "stacks/Pulumi.$6.yaml"
          printf '  homelab:%s:\n    secure: v1:c3RhbmQtaW4=\n' "$4" >> "stacks/Pulumi.$6.yaml"
        fi
        exit 0
        """;

    [ToolFact("sh", "sed")]
    public void Set_missing_generates_tokens_hashes_the_password_and_passes_every_value_on_stdin_only()
    {
        using var repo = TempRepo.WithExamples();
        var bin = Directory.CreateTempSubdirectory("homelab-fake-pulumi-").FullName;
        var log = Directory.CreateTempSubdirectory("homelab-pulumi-log-").FullName;
        File.WriteAllText(Path.Combine(bin, "pulumi"), FakePulumi.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(bin, "pulumi"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = $"{bin}:/usr/bin:/bin",
            ["FAKE_PULUMI_LOG"] = log,
            ["PULUMI_BACKEND_URL"] = "file:///nonexistent-state",
        };

        var result = ProcessRunner.HomelabWithInput(repo.Root, environment, "alice-s3cret-pw\n", "secrets", "gpu-box", "--set-missing");

        result.ExitCode.Should().Be(0, result.Stderr);
        var calls = Directory.GetFiles(log, "*.args").OrderBy(f => int.Parse(Path.GetFileNameWithoutExtension(f), CultureInfo.InvariantCulture))
            .Select(f => (Args: File.ReadAllLines(f), Stdin: File.ReadAllText(Path.ChangeExtension(f, ".stdin")))).ToList();
        calls.Select(c => string.Join(' ', c.Args)).Should().Equal(
            "stack select --create gpu-box --non-interactive",
            "config set --secret aliceHash --stack gpu-box --non-interactive",
            "config set --secret ciToken --stack gpu-box --non-interactive",
            "config set --secret laptopToken --stack gpu-box --non-interactive",
            "config set --secret webuiSecretKey --stack gpu-box --non-interactive");
        var values = calls.Skip(1).Select(c => c.Stdin).ToList();
        PasswordHasher.Verify("alice-s3cret-pw", values[0]).Should().BeTrue("aliceHash holds a bcrypt hash of the password read from stdin");
        values[0].Should().StartWith($"$2a${PasswordHasher.Cost}$");
        values[1].Should().MatchRegex("^[0-9a-f]{64}$").And.NotBe(values[2], "each token is generated on its own");
        values[2].Should().MatchRegex("^[0-9a-f]{64}$");
        foreach (var secret in values.Append("alice-s3cret-pw"))
        {
            result.Stdout.Should().NotContain(secret);
            result.Stderr.Should().NotContain(secret);
            calls.SelectMany(c => c.Args).Should().NotContain(a => a.Contains(secret, StringComparison.Ordinal), "a value in argv is visible in the process list");
        }

        result.Stdout.Should().MatchRegex(@"ciToken\s+set\s+proxy bearer token").And.MatchRegex(@"aliceHash\s+set\s+bcrypt hash for basic-auth user alice");
        Directory.Delete(bin, recursive: true);
        Directory.Delete(log, recursive: true);
    }

    [Fact]
    public void Listing_reads_the_stack_config_file_and_exits_1_while_a_key_is_missing()
    {
        using var repo = TempRepo.WithExamples();
        repo.Write("stacks/Pulumi.gpu-box.yaml", "config:\n  homelab:ciToken:\n    secure: v1:abc\n  homelab:laptopToken: plain-value\n");
        var tools = new FakeTools();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = SecretsCommand.Run(new SecretsRequest("gpu-box", SetMissing: false), new ProjectDirectory(repo.Root), tools, new Dictionary<string, string?>(),
            _ => throw new InvalidOperationException("listing asks for no password"), stdout, stderr);

        exit.Should().Be(ExitCodes.Failed);
        tools.Captured.Should().BeEmpty("listing needs no pulumi");
        stdout.ToString().Should().Contain("checked in stacks/Pulumi.gpu-box.yaml")
            .And.MatchRegex(@"ciToken\s+set\s").And.MatchRegex(@"laptopToken\s+set in plain text").And.MatchRegex(@"aliceHash\s+not set");
        stdout.ToString().Should().NotContain("plain-value");
        stderr.ToString().Should().Contain("aliceHash not set — homelab secrets gpu-box --set-missing (asks for alice's password)")
            .And.Contain("pulumi config rm laptopToken --stack gpu-box");
    }

    [Fact]
    public void Every_key_set_in_PULUMI_CONFIG_exits_0()
    {
        using var repo = TempRepo.WithExamples();
        var environment = new Dictionary<string, string?> { ["PULUMI_CONFIG"] = """{"homelab:localToken":"the-token-value"}""" };
        var stdout = new StringWriter();

        var exit = SecretsCommand.Run(new SecretsRequest("local", false), new ProjectDirectory(repo.Root), new FakeTools(), environment, _ => "", stdout, new StringWriter());

        exit.Should().Be(ExitCodes.Ok);
        stdout.ToString().Should().MatchRegex(@"localToken\s+set\s+proxy bearer token").And.NotContain("the-token-value");
    }

    [Fact]
    public void Set_missing_with_an_unusable_password_sets_nothing()
    {
        using var repo = TempRepo.WithExamples();
        var tools = new FakeTools();

        var act = () => SecretsCommand.Run(new SecretsRequest("gpu-box", SetMissing: true), new ProjectDirectory(repo.Root), tools,
            new Dictionary<string, string?> { ["PULUMI_BACKEND_URL"] = "file:///x" }, _ => "", new StringWriter(), new StringWriter());

        act.Should().Throw<UsageException>().WithMessage("the password for basic-auth user alice: the password is empty; nothing was set");
        tools.Captured.Should().BeEmpty();
    }

    [Fact]
    public void Set_missing_without_pulumi_on_path_is_bad_input()
    {
        using var repo = TempRepo.WithExamples();
        var tools = new FakeTools();
        tools.Installed.Remove("pulumi");

        var act = () => SecretsCommand.Run(new SecretsRequest("local", SetMissing: true), new ProjectDirectory(repo.Root), tools,
            new Dictionary<string, string?>(), _ => "", new StringWriter(), new StringWriter());

        act.Should().Throw<UsageException>().WithMessage("*'pulumi' is not on PATH*");
    }
}
