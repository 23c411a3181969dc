using System.Text.Json.Nodes;

using HomeLab.Cli;
using HomeLab.Hooks;
using HomeLab.Tests.Hooks;
using HomeLab.Tests.Hooks.StandIn;
using HomeLab.Tests.Support;
using HomeLab.Workspace;

namespace HomeLab.Tests.Status;

/// <summary><c>homelab status</c> against the Ollama stand-in: a lab the hooks brought up, then changed under it.</summary>
public sealed class StatusCommandTests : RunningServers
{
    private const string Models = """
              - name: llama3.2:1b
                warm: true
              - name: reviewer
                from: qwen2.5-coder:7b
                system: You review pull requests.
                parameters:
                  temperature: 0.2
        """;

    [Fact]
    public async Task A_lab_the_hooks_brought_up_is_healthy_with_versions_models_and_the_gpu_split()
    {
        var ollama = await DeployedStandIn();
        var writesBefore = Writes(ollama);

        var table = await StatusAsync(Stack(ollama.Url.Port, gpu: true), StatusFormat.Table);
        var json = await StatusAsync(Stack(ollama.Url.Port, gpu: true), StatusFormat.Json);

        table.ExitCode.Should().Be(0, table.Stderr);
        table.Stderr.Should().BeEmpty();
        table.Stdout.Should().Contain("up 0.32.15").And.Contain("✓ llama3.2:1b").And.Contain("✓ qwen2.5-coder:7b").And.Contain("✓ reviewer")
            .And.MatchRegex(@"llama3\.2:1b \S+ \S+ 100% GPU, unloads in").And.Contain("healthy");
        table.Stdout.Should().NotContain("\u001b[", "piped output is plain");
        var report = JsonNode.Parse(json.Stdout)!;
        report["healthy"]!.GetValue<bool>().Should().BeTrue();
        var instance = report["instances"]![0]!;
        instance["version"]!.GetValue<string>().Should().Be("0.32.15");
        States(instance).Should().Equal(new Dictionary<string, string> { ["llama3.2:1b"] = "present", ["qwen2.5-coder:7b"] = "present", ["reviewer"] = "present" });
        instance["loaded"]![0]!["vramRatio"]!.GetValue<double>().Should().Be(1);
        instance["loaded"]![0]!["expiresAt"]!.GetValue<string>().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
        Writes(ollama).Should().Be(writesBefore, "status only reads: it pulls, creates, loads and removes nothing");
    }

    [Fact]
    public async Task A_changed_stack_shows_the_drifted_custom_model_the_missing_one_and_the_extra_one_and_exits_1()
    {
        var ollama = await DeployedStandIn();
        ollama.Install("mistral:7b");
        var changed = Stack(ollama.Url.Port, models: Models.Replace("You review pull requests.", "You review Go code.", StringComparison.Ordinal) + "\n      - phi3:mini");

        var json = await StatusAsync(changed, StatusFormat.Json);
        var prometheus = await StatusAsync(changed, StatusFormat.Prometheus);

        json.ExitCode.Should().Be(1);
        var instance = JsonNode.Parse(json.Stdout)!["instances"]![0]!;
        States(instance).Should().Equal(new Dictionary<string, string>
        {
            ["llama3.2:1b"] = "present",
            ["phi3:mini"] = "missing",
            ["qwen2.5-coder:7b"] = "present",
            ["reviewer"] = "drifted",
            ["mistral:7b"] = "extra",
        });
        instance["models"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "reviewer")!["differences"]!.AsArray().Select(d => d!.GetValue<string>())
            .Should().Equal("its system prompt differs");
        json.Stderr.Should().Contain("homelab status: lab/ollama: model 'phi3:mini' is missing — run: homelab hooks lab --instance ollama")
            .And.Contain("homelab status: lab/ollama: model 'reviewer' differs from the stack: its system prompt differs");
        json.Stderr.Should().NotContain("mistral", "an undeclared model is reported, not a problem, unless the instance sets removeUndeclared");
        prometheus.ExitCode.Should().Be(1);
        prometheus.Stdout.Should().Contain("homelab_instance_healthy{stack=\"lab\",instance=\"ollama\",host=\"lab\"} 0\n")
            .And.Contain("homelab_model_present{stack=\"lab\",instance=\"ollama\",host=\"lab\",model=\"phi3:mini\"} 0\n")
            .And.Contain("homelab_model_drifted{stack=\"lab\",instance=\"ollama\",host=\"lab\",model=\"reviewer\"} 1\n")
            .And.Contain("homelab_model_extra{stack=\"lab\",instance=\"ollama\",host=\"lab\",model=\"mistral:7b\"} 1\n");
    }

    [Fact]
    public async Task An_unreachable_instance_is_one_plain_line_and_exit_1_in_every_format()
    {
        var port = FreePort.OnLoopback();

        var table = await StatusAsync(Stack(port), StatusFormat.Table);
        var prometheus = await StatusAsync(Stack(port), StatusFormat.Prometheus);
        var json = await StatusAsync(Stack(port), StatusFormat.Json);

        table.ExitCode.Should().Be(1);
        table.Stdout.Should().Contain("unreachable").And.Contain("degraded: 1 problem(s)");
        table.Stderr.TrimEnd().Split('\n').Should().ContainSingle()
            .Which.Should().StartWith($"homelab status: lab/ollama: unreachable: asking for Ollama's version: cannot reach http://127.0.0.1:{port}/")
            .And.EndWith("nothing answers there; if stack 'lab' is not deployed yet, run: homelab up lab");
        json.Stdout.Should().Contain("Ollama's version", "JSON for scripts and people is plain, not Ollama\\u0027s").And.NotContain("\\u0027");
        (table.Stdout + table.Stderr).Should().NotContain("   at ", "an operator sees a message, not a stack trace");
        prometheus.ExitCode.Should().Be(1);
        prometheus.Stdout.Should().Contain("homelab_instance_up{stack=\"lab\",instance=\"ollama\",host=\"lab\"} 0\n")
            .And.Contain("homelab_status_healthy{stack=\"lab\"} 0\n")
            .And.NotContain("homelab_ollama_info{");
    }

    [Fact]
    public async Task A_gpu_less_instance_shows_its_models_on_the_cpu_and_a_gpu_instance_whose_model_runs_there_is_degraded()
    {
        var ollama = await DeployedStandIn(gpuMemory: null);

        var cpu = await StatusAsync(Stack(ollama.Url.Port), StatusFormat.Table);
        var gpu = await StatusAsync(Stack(ollama.Url.Port, gpu: true), StatusFormat.Prometheus);

        cpu.ExitCode.Should().Be(0, cpu.Stderr);
        cpu.Stdout.Should().Contain("100% CPU");
        gpu.ExitCode.Should().Be(1);
        gpu.Stderr.Should().Contain("homelab status: lab/ollama: loaded model 'llama3.2:1b' runs on the CPU although the instance has a GPU — ");
        gpu.Stdout.Should().Contain("homelab_model_vram_ratio{stack=\"lab\",instance=\"ollama\",host=\"lab\",model=\"llama3.2:1b\"} 0\n")
            .And.Contain("homelab_model_vram_bytes{stack=\"lab\",instance=\"ollama\",host=\"lab\",model=\"llama3.2:1b\"} 0\n");
    }

    [Fact]
    public async Task Watch_refreshes_until_stopped_and_exits_with_the_last_look()
    {
        var ollama = await DeployedStandIn();

        var run = await StatusAsync(Stack(ollama.Url.Port), StatusFormat.Json, watch: TimeSpan.FromMilliseconds(20), rounds: 3);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Split("\n\n").Select(text => JsonNode.Parse(text)).Should().HaveCount(3).And.OnlyContain(r => r!["healthy"]!.GetValue<bool>());
        ollama.RequestsTo("/api/version").Should().HaveCountGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task A_missing_stack_or_instance_is_bad_input()
    {
        var act = () => StatusAsync(Stack(1), StatusFormat.Table, instance: "olama");

        (await act.Should().ThrowAsync<UsageException>()).WithMessage("stack 'lab' has no instance 'olama' — its instances: ollama");
    }

    private static int Writes(OllamaStandIn ollama) =>
        ollama.Requests.Count(r => r.Path is "/api/pull" or "/api/create" or "/api/delete" or "/api/generate" or "/api/embed" or "/api/chat");

    private static Dictionary<string, string> States(JsonNode instance) =>
        instance["models"]!.AsArray().ToDictionary(m => m!["name"]!.GetValue<string>(), m => m!["state"]!.GetValue<string>());

    private static string Stack(int port, bool gpu = false, string models = Models) => HookHarness.DirectStack(models, port: port, gpu: gpu);

    /// <summary>A stand-in the hooks have brought to the declared models (pulled, created, warmed).</summary>
    /// <param name="gpuMemory">The stand-in's GPU memory, null for a machine without a usable GPU.</param>
    private async Task<OllamaStandIn> DeployedStandIn(long? gpuMemory = 8L << 30)
    {
        var ollama = Track(await OllamaStandIn.StartAsync());
        ollama.GpuMemory = gpuMemory;
        ollama.Publish("llama3.2:1b", 256 << 20);
        ollama.Publish("qwen2.5-coder:7b", 280 << 20);
        var run = await HookHarness.RunAsync(Stack(ollama.Url.Port), ollama.Url);
        run.Report.Ok.Should().BeTrue(run.Log);
        return ollama;
    }

    private static async Task<ProcessResult> StatusAsync(string yaml, StatusFormat format, TimeSpan? watch = null, int? rounds = null, string? instance = null)
    {
        var root = Directory.CreateTempSubdirectory("homelab-status-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "stacks"));
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "Pulumi.yaml"), "name: homelab\n");
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "stacks", "lab.yaml"), yaml);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var request = new StatusRequest("lab", instance, Url: null, CaCertificate: null, format, watch);
            var code = await StatusCommand.RunAsync(request, new StatusContext(new ProjectDirectory(root.FullName), _ => null, stdout, stderr, Terminal: false, HookHarness.Fast,
                new FakeTools(), Connect: null, TimeProvider.System, rounds), CancellationToken.None);
            return new ProcessResult(code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
