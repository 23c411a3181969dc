using System.CommandLine;
using System.Text.Json.Nodes;

using HomeLab.Tests.Hooks.StandIn;

namespace HomeLab.Tests.Hooks;

public class HooksCommandTests
{
    private static readonly Dictionary<string, string> Credentials = new() { ["HOMELAB_BEARER_labToken"] = HookHarness.Secret };

    [Fact]
    public async Task A_healthy_instance_exits_0_with_the_json_report_on_stdout_and_the_summary_on_stderr()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.RequiredCredential = ("Authorization", "Bearer " + HookHarness.Secret);
        ollama.Publish("llama3.2:1b", 2_000_000);

        var run = await HookHarness.CliAsync(HookHarness.ProxiedStack(), ollama.Url, Credentials);

        run.ExitCode.Should().Be(0, run.Stderr);
        var report = JsonNode.Parse(run.Stdout)!;
        report["ok"]!.GetValue<bool>().Should().BeTrue();
        report["instances"]![0]!["models"]![0]!["state"]!.GetValue<string>().Should().Be("pulled");
        run.Stderr.Should().Contain($"hooks lab/ollama via proxy {ollama.Url}: ok").And.Contain("model llama3.2:1b");
        (run.Stdout + run.Stderr).Should().NotContain(HookHarness.Secret);
    }

    [Fact]
    public async Task A_failed_model_exits_1_and_the_last_line_names_the_model_and_the_cause()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.RequiredCredential = ("Authorization", "Bearer " + HookHarness.Secret);

        var run = await HookHarness.CliAsync(HookHarness.ProxiedStack("      - nosuch-model:1b"), ollama.Url, Credentials);

        run.ExitCode.Should().Be(1);
        run.Stderr.TrimEnd().Split('\n')[^1].Should().Be(
            "homelab hooks: lab/ollama: model 'nosuch-model:1b': pull of 'nosuch-model:1b': Ollama reported 'pull model manifest: file does not exist' — the registry has no model by that name; check its name and tag in the stack file");
        JsonNode.Parse(run.Stdout)!["ok"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task No_credential_appears_in_any_output_even_when_the_server_echoes_it()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.RequiredCredential = ("Authorization", "Bearer " + HookHarness.Secret);
        ollama.Faults.EchoCredential = true;
        ollama.Faults.ServerErrorPath = "/api/pull";
        ollama.Faults.ServerErrors = 1000;
        ollama.Publish("llama3.2:1b", 2_000_000);
        var report = Path.GetTempFileName();
        try
        {
            var run = await HookHarness.CliAsync(HookHarness.ProxiedStack(), ollama.Url, Credentials, reportFile: report);

            run.ExitCode.Should().Be(1);
            run.Stdout.Should().BeEmpty("the report went to --report");
            var written = await File.ReadAllTextAsync(report);
            written.Should().Contain("request carried Authorization: Bearer ***", "the echoed credential is scrubbed, the rest of the message kept");
            (run.Stderr + written).Should().NotContain(HookHarness.Secret);
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Fact]
    public async Task A_wrong_secret_exits_1_naming_the_secret_key_not_its_value()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.RequiredCredential = ("Authorization", "Bearer the-deployed-one");
        ollama.Faults.EchoCredential = true;

        var run = await HookHarness.CliAsync(HookHarness.ProxiedStack(), ollama.Url, Credentials);

        run.ExitCode.Should().Be(1);
        run.Stderr.TrimEnd().Split('\n')[^1].Should().Be(
            "homelab hooks: lab/ollama: asking for Ollama's version: the proxy refused the credential in HOMELAB_BEARER_labToken (secret config 'labToken') (HTTP 401); it does not match the one the proxy was deployed with");
        (run.Stdout + run.Stderr).Should().NotContain(HookHarness.Secret);
    }

    [Fact]
    public async Task A_missing_credential_variable_exits_2_saying_how_to_set_it()
    {
        var run = await HookHarness.CliAsync(HookHarness.ProxiedStack(), new Uri("http://127.0.0.1:9/"));

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("HOMELAB_BEARER_labToken is not set").And.Contain("export HOMELAB_BEARER_labToken=\"$(pulumi config get labToken --stack lab)\"");
    }

    [Theory]
    [InlineData("nope", null, "stack 'lab' has no instance 'nope' — its instances: ollama")]
    [InlineData("ollama", "http://user:pw@127.0.0.1:9/", "--url carries credentials")]
    [InlineData("ollama", "ftp://127.0.0.1/", "is not an http:// or https:// address")]
    public async Task Bad_command_lines_exit_2_with_one_line(string instance, string? url, string message)
    {
        var run = await HookHarness.CliAsync(HookHarness.DirectStack(), url is null ? null : new Uri(url), instance: instance);

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain(message);
    }

    [Fact]
    public async Task A_broken_stack_file_exits_2_with_its_position()
    {
        var run = await HookHarness.CliAsync(HookHarness.DirectStack(hooks: "stallTimeout: 0s"), null);

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().MatchRegex(@"stacks/lab\.yaml:\d+:\d+: hooks stallTimeout is shorter than a second");
    }

    [Fact]
    public async Task A_ca_file_that_is_missing_or_not_a_certificate_is_bad_input()
    {
        var garbage = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(garbage, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

            var missing = await HookHarness.CliAsync(HookHarness.DirectStack(), new Uri("http://127.0.0.1:1/"), new Dictionary<string, string> { [HomeLab.Hooks.InstanceAccess.CaCertificateVariable] = "/nowhere/root.crt" });
            var notCertificate = await HookHarness.CliAsync(HookHarness.DirectStack(), new Uri("http://127.0.0.1:1/"), new Dictionary<string, string> { [HomeLab.Hooks.InstanceAccess.CaCertificateVariable] = garbage });

            missing.ExitCode.Should().Be(2);
            missing.Stderr.Should().StartWith("homelab: CA certificate file '/nowhere/root.crt' does not exist");
            notCertificate.ExitCode.Should().Be(2);
            notCertificate.Stderr.Should().StartWith($"homelab: CA certificate file '{garbage}' is not a certificate");
        }
        finally
        {
            File.Delete(garbage);
        }
    }

    [Fact]
    public void The_hooks_command_is_registered_with_its_options()
    {
        var parse = HomeLab.Cli.Cli.Build().Parse(["hooks", "local", "--instance", "ollama", "--only", "pull", "verify", "--report", "r.json", "--url", "http://127.0.0.1:1/", "--ca-cert", "ca.pem"]);

        parse.Errors.Should().BeEmpty();
        HomeLab.Cli.Cli.Build().Parse(["hooks", "local", "--only", "everything"]).Errors.Should().NotBeEmpty();
    }
}
