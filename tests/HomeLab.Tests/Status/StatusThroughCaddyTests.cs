using HomeLab.Cli;
using HomeLab.Hooks;
using HomeLab.Tests.Hooks;
using HomeLab.Tests.Hooks.StandIn;
using HomeLab.Tests.Support;
using HomeLab.Workspace;

namespace HomeLab.Tests.Status;

/// <summary>
/// <c>homelab status</c> through a real Caddy running the Caddyfile the stack compiles to, as the hooks reach it: the
/// stack's proxy URL (only the port is the test's), the credential from the hooks' variable, the instance pinned.
/// </summary>
public sealed class StatusThroughCaddyTests : RunningServers
{
    private const string LocalToken = "local-St4tus-7c1d";
    private const string CiToken = "ci-St4tus-e92a";

    /// <summary>The hooks straight to the stand-in, before Caddy runs: everything but the checks that need the proxy.</summary>
    private static readonly HookStep[] DeploySteps = [HookStep.Pull, HookStep.Create, HookStep.Warm];

    [ToolFact("caddy")]
    public async Task Local_stack_through_caddy_is_healthy_and_the_proxy_refuses_a_bare_request()
    {
        var (caddy, _) = await LocalLabAsync();

        var run = await StatusAsync(caddy, "local", "ollama", new() { ["HOMELAB_BEARER_localToken"] = LocalToken }, StatusFormat.Prometheus);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain($"homelab_proxy_refuses_anonymous{{stack=\"local\",url=\"{caddy.BaseAddress}\"}} 1\n")
            .And.Contain("homelab_instance_up{stack=\"local\",instance=\"ollama\",host=\"local\"} 1\n")
            .And.Contain("homelab_model_present{stack=\"local\",instance=\"ollama\",host=\"local\",model=\"llama3.2:1b\"} 1\n");
        (run.Stdout + run.Stderr).Should().NotContain(LocalToken);
    }

    [ToolFact("caddy")]
    public async Task A_wrong_token_is_one_line_naming_the_secret_key_never_the_token()
    {
        var (caddy, ollama) = await LocalLabAsync();
        const string Wrong = "wrong-St4tus-0000";
        var tagsBefore = ollama.RequestsTo("/api/tags").Count();

        var run = await StatusAsync(caddy, "local", "ollama", new() { ["HOMELAB_BEARER_localToken"] = Wrong }, StatusFormat.Table);

        run.ExitCode.Should().Be(1);
        run.Stderr.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Be(
            "homelab status: local/ollama: asking for Ollama's version: the proxy refused the credential in HOMELAB_BEARER_localToken (secret config 'localToken') (HTTP 401); it does not match the one the proxy was deployed with");
        run.Stdout.Should().Contain("refuses requests without credentials (HTTP 401)");
        (run.Stdout + run.Stderr).Should().NotContain(Wrong).And.NotContain(LocalToken);
        ollama.RequestsTo("/api/tags").Should().HaveCount(tagsBefore, "Caddy refused every status request before Ollama");
    }

    [ToolFact("caddy")]
    public async Task Gpu_box_status_trusts_the_internal_ca_and_sees_each_instance_behind_the_balanced_route()
    {
        var a = await GpuBoxStandIn();
        var b = await GpuBoxStandIn();
        var webui = Track(await OpenWebuiStandIn.StartAsync(() => a.InstalledModels));
        var (caddy, environment) = await GpuBoxCaddyAsync(a, b, webui);

        var runA = await StatusAsync(caddy, "gpu-box", "ollama-a", environment, StatusFormat.Table);
        var runB = await StatusAsync(caddy, "gpu-box", "ollama-b", environment, StatusFormat.Table);

        runA.ExitCode.Should().Be(0, runA.Stderr);
        runA.Stdout.Should().Contain("✓ reviewer").And.Contain("llama3.1:8b").And.Contain("100% GPU").And.Contain("refuses requests without credentials (HTTP 401)")
            .And.Contain($"front end https://chat.home.arpa:{caddy.HttpsPort}/: healthy");
        webui.Requests.Should().OnlyContain(r => r.Path == "/health" && r.Authorization == null, "status asks the front end for its health only, and Caddy removes the token");
        runB.ExitCode.Should().Be(1, "ollama-b was never deployed, and the pinned requests reached it, not ollama-a");
        runB.Stderr.Should().Contain("homelab status: gpu-box/ollama-b: model 'llama3.1:8b' is missing").And.Contain("model 'reviewer' is missing");
        (runA.Stdout + runA.Stderr + runB.Stdout + runB.Stderr).Should().NotContain(CiToken);
    }

    [ToolFact("caddy")]
    public async Task Gpu_box_status_with_the_front_end_down_is_degraded_with_one_line_saying_so()
    {
        var a = await GpuBoxStandIn();
        var b = await GpuBoxStandIn();
        var webui = Track(await OpenWebuiStandIn.StartAsync(() => a.InstalledModels));
        webui.Healthy = false;
        var (caddy, environment) = await GpuBoxCaddyAsync(a, b, webui);

        var run = await StatusAsync(caddy, "gpu-box", "ollama-a", environment, StatusFormat.Prometheus);

        run.ExitCode.Should().Be(1, "the instance is healthy, the front end is not");
        run.Stdout.Should().Contain($"homelab_webui_healthy{{stack=\"gpu-box\",url=\"https://chat.home.arpa:{caddy.HttpsPort}/\"}} 0\n");
        run.Stderr.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Be("homelab status: gpu-box front end: the front end answered /health without status true");
    }

    private async Task<(CaddyProcess Caddy, OllamaStandIn Ollama)> LocalLabAsync()
    {
        var ollama = Track(await OllamaStandIn.StartAsync());
        ollama.Publish("llama3.2:1b", 256 << 20);
        var deployed = await HookHarness.RunAsync(File.ReadAllText(Path.Combine(Repo.Stacks, "local.yaml")), ollama.Url, DeploySteps);
        deployed.Report.Ok.Should().BeTrue(deployed.Log);
        var caddy = Track(await CaddyProcess.StartAsync(Stacks.Load("local"), _ => ollama.Url.Authority, new Dictionary<string, string?> { ["localToken"] = LocalToken }));
        return (caddy, ollama);
    }

    /// <summary>gpu-box's Caddy in front of the two stand-ins and the front end, once ollama-a's hooks have deployed its models; and status's environment for it.</summary>
    private async Task<(CaddyProcess Caddy, Dictionary<string, string> Environment)> GpuBoxCaddyAsync(OllamaStandIn a, OllamaStandIn b, OpenWebuiStandIn webui)
    {
        var deployed = await HookHarness.RunAsync(File.ReadAllText(Path.Combine(Repo.Stacks, "gpu-box.yaml")), a.Url, DeploySteps);
        deployed.Report.Ok.Should().BeTrue(deployed.Log);
        var caddy = Track(await CaddyProcess.StartAsync(Stacks.Load("gpu-box"), i => (i.Name == "ollama-a" ? a : b).Url.Authority, new Dictionary<string, string?>
        {
            ["ciToken"] = CiToken,
            ["laptopToken"] = "laptop-St4tus-5b5b",
            ["aliceHash"] = await CaddyProcess.HashPasswordAsync("alice status password"),
        }, webui.Address));
        return (caddy, new Dictionary<string, string> { ["HOMELAB_BEARER_ciToken"] = CiToken, [InstanceAccess.CaCertificateVariable] = caddy.RootCertificatePath });
    }

    private async Task<OllamaStandIn> GpuBoxStandIn() => Track(await OllamaStandIn.StartAsync()).WithChatModels(8L << 30);

    /// <summary>The status command's body for one instance, at the stack's proxy URL with this Caddy's port, dialled on loopback.</summary>
    private static async Task<ProcessResult> StatusAsync(CaddyProcess caddy, string stack, string instance, Dictionary<string, string> environment, StatusFormat format)
    {
        var spec = Stacks.Load(stack);
        var url = new UriBuilder(HookPlan.UrlFor(spec, spec.Instances.First(i => i.Name == instance))) { Port = caddy.BaseAddress.Port }.Uri;
        url.Should().Be(caddy.BaseAddress, "status addresses the proxy by the stack's domain");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var request = new StatusRequest(stack, instance, url.ToString(), CaCertificate: null, format, Watch: null);
        var code = await StatusCommand.RunAsync(request, new StatusContext(new ProjectDirectory(Repo.Root), name => environment.GetValueOrDefault(name), stdout, stderr, Terminal: false,
            HookHarness.Fast, new FakeTools(), caddy.ConnectAsync, TimeProvider.System, Rounds: null), CancellationToken.None);
        return new ProcessResult(code, stdout.ToString(), stderr.ToString());
    }
}
