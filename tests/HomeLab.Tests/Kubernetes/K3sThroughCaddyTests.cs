using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

using HomeLab.Cli;
using HomeLab.Conventions;
using HomeLab.Hooks;
using HomeLab.Modules;
using HomeLab.Spec;
using HomeLab.Tests.Hooks;
using HomeLab.Tests.Hooks.StandIn;
using HomeLab.Tests.Support;
using HomeLab.Workspace;

namespace HomeLab.Tests.Kubernetes;

/// <summary>
/// The k3s example's hooks and status through a real Caddy running the Caddyfile its proxy Deployment gets (the one
/// renderer), with Ollama stand-ins on loopback where the cluster has Services and pods: the instance's ClusterIP
/// Service, and — for an instance with several replicas — each replica's pod under the headless Service; an Open WebUI
/// stand-in where the front end's Service is.
/// </summary>
public sealed class K3sThroughCaddyTests : RunningServers, IDisposable
{
    private const string CiToken = "ci-K3s-R1ght-61c0";
    private const string AlicePassword = "alice-K3s-p4ss-77d2";
    private const string AdminPassword = "admin-K3s-p4ss-0b9e";
    private static readonly Lazy<Task<string>> AliceHash = new(() => CaddyProcess.HashPasswordAsync(AlicePassword));
    private static readonly string[] ChatPulls = ["llama3.1:8b", "nomic-embed-text:v1.5", "qwen2.5-coder:7b"];

    private readonly TempRepo repo = TempRepo.WithExamples();

    void IDisposable.Dispose() => repo.Dispose();

    [ToolFact("caddy")]
    public async Task With_two_replicas_the_hooks_pull_on_each_pod_and_status_shows_each_replica()
    {
        repo.Edit("stacks/k3s.yaml", "    nodeSelector:\n      homelab.dev/gpu: nvidia", "    replicas: 2\n    nodeSelector:\n      homelab.dev/gpu: nvidia");
        var service = await ChatStandIn();
        var pods = new[] { await ChatStandIn(), await ChatStandIn() };
        var coder = Track(await OllamaStandIn.StartAsync());
        var caddy = await K3sCaddy(i => (i.Name == "chat" ? service : coder).Url.Authority, (i, ordinal) => i.Name == "chat" ? pods[ordinal].Url.Authority : throw new InvalidOperationException($"{i.Name} runs one replica"));

        var hooks = await HooksAsync(caddy, "chat");

        hooks.ExitCode.Should().Be(0, hooks.Stderr);
        var reports = JsonNode.Parse(hooks.Stdout)!["instances"]!.AsArray();
        reports.Select(r => (r!["instance"]!.GetValue<string>(), r["replica"]!.GetValue<int>())).Should().Equal(("chat", 0), ("chat", 1));
        hooks.Stderr.Should().Contain($"hooks k3s/chat (replica 0) via proxy https://ollama.home.arpa:{caddy.HttpsPort}/: ok")
            .And.Contain($"hooks k3s/chat (replica 1) via proxy https://ollama.home.arpa:{caddy.HttpsPort}/: ok");
        foreach (var pod in pods)
        {
            Pulled(pod).Distinct().Should().BeEquivalentTo(ChatPulls, "each replica has a volume of its own, so each gets every model (PullStep retries a pull that failed for a transient reason, as on a busy machine with the test's 5 s reads, and a retry asks again)");
            pod.InstalledModels.Should().Equal("llama3.1:8b", "nomic-embed-text:v1.5", "qwen2.5-coder:7b", "reviewer:latest");
            pod.Requests.Should().OnlyContain(r => r.Instance == null, "Caddy strips the pinning headers before Ollama");
        }

        service.Requests.Should().BeEmpty("with the replicas pinned, nothing of the hooks went through the instance's Service");
        var seenBefore = pods[1].Requests.Count;
        using (var client = caddy.CreateClient())
        using (var bare = new HttpRequestMessage(HttpMethod.Get, "api/tags"))
        {
            bare.Headers.Add(HookRouting.InstanceHeader, "chat");
            bare.Headers.Add(HookRouting.ReplicaHeader, "1");
            (await client.SendAsync(bare)).StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized, "naming a replica does not get past the authentication");
        }

        pods[1].Requests.Should().HaveCount(seenBefore);

        var status = await StatusAsync(caddy, "chat", StatusFormat.Json);

        status.ExitCode.Should().Be(0, status.Stderr);
        var seen = JsonNode.Parse(status.Stdout)!["instances"]!.AsArray();
        seen.Select(i => (i!["instance"]!.GetValue<string>(), i["replica"]!.GetValue<int>(), i["healthy"]!.GetValue<bool>())).Should().Equal(("chat", 0, true), ("chat", 1, true));
        var prometheus = await StatusAsync(caddy, "chat", StatusFormat.Prometheus);
        prometheus.Stdout.Should().Contain("homelab_instance_up{stack=\"k3s\",instance=\"chat\",replica=\"1\",host=\"k3s\"} 1\n");
        (hooks.Stdout + hooks.Stderr + status.Stdout + status.Stderr).Should().NotContain(CiToken);
    }

    [ToolFact("caddy")]
    public async Task A_replica_without_its_models_is_reported_as_that_replica()
    {
        repo.Edit("stacks/k3s.yaml", "    nodeSelector:\n      homelab.dev/gpu: nvidia", "    replicas: 2\n    nodeSelector:\n      homelab.dev/gpu: nvidia");
        var pods = new[] { await ChatStandIn(), await ChatStandIn() };
        // Only replica 0 got its models (straight to its stand-in, before the proxy runs), as after a scale-up whose
        // hooks have not run yet.
        var deployed = await HookHarness.RunAsync(repo.Read("stacks/k3s.yaml"), pods[0].Url, [HookStep.Pull, HookStep.Create, HookStep.Warm]);
        deployed.Report.Ok.Should().BeTrue(deployed.Log);
        var caddy = await K3sCaddy(_ => pods[0].Url.Authority, (_, ordinal) => pods[ordinal].Url.Authority);

        var status = await StatusAsync(caddy, "chat", StatusFormat.Table);

        status.ExitCode.Should().Be(1);
        status.Stderr.Should().Contain("homelab status: k3s/chat (replica 1): model 'llama3.1:8b' is missing")
            .And.Contain("homelab status: k3s/chat (replica 1): model 'reviewer' is missing")
            .And.NotContain("replica 0");
        status.Stdout.Should().Contain("chat (replica 0)").And.Contain("chat (replica 1)");
    }

    [ToolFact("caddy")]
    public async Task The_k3s_example_hooks_and_status_go_through_its_proxy_to_each_instance()
    {
        var chat = await ChatStandIn();
        var coder = Track(await OllamaStandIn.StartAsync());
        coder.GpuMemory = 8L << 30;
        coder.Publish("qwen2.5-coder:7b", 280 << 20);
        var caddy = await K3sCaddy(i => (i.Name == "chat" ? chat : coder).Url.Authority, replicaUpstream: null);

        var hooks = await HooksAsync(caddy, "coder");
        var status = await StatusAsync(caddy, "coder", StatusFormat.Table);
        var chatStatus = await StatusAsync(caddy, "chat", StatusFormat.Table);

        hooks.ExitCode.Should().Be(0, hooks.Stderr);
        JsonNode.Parse(hooks.Stdout)!["instances"]![0]!.AsObject().Should().NotContainKey("replica", "an instance with one replica reports as before");
        Pulled(coder).Should().Equal("qwen2.5-coder:7b");
        chat.RequestsTo("/api/pull").Should().BeEmpty("coder's hooks are pinned to coder behind the '/' route");
        status.ExitCode.Should().Be(0, status.Stderr);
        status.Stdout.Should().Contain("coder").And.Contain("qwen2.5-coder:7b").And.Contain("refuses requests without credentials (HTTP 401)");
        chatStatus.ExitCode.Should().Be(1);
        chatStatus.Stderr.Should().Contain("homelab status: k3s/chat: model 'llama3.1:8b' is missing — run: homelab hooks k3s --instance chat");
    }

    [ToolFact("caddy")]
    public async Task The_front_end_is_reached_only_through_the_proxys_sign_in_which_names_the_user_and_drops_a_spoofed_one()
    {
        var chat = await ChatStandIn();
        var webui = Track(await OpenWebuiStandIn.StartAsync(() => chat.InstalledModels));
        var caddy = await K3sCaddy(_ => chat.Url.Authority, replicaUpstream: null, webui);
        using var client = caddy.CreateClient("chat.home.arpa");

        using (var anonymous = SignInRequest(basic: null))
        {
            (await client.SendAsync(anonymous)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        webui.Requests.Should().BeEmpty("an unauthenticated request, spoofed header and all, never reaches Open WebUI");
        using var signIn = SignInRequest(basic: $"alice:{AlicePassword}");
        using var response = await client.SendAsync(signIn);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["email"]!.GetValue<string>().Should().Be("alice@chat.home.arpa", "Caddy replaced the spoofed header by the user it signed in");
        webui.Requests.Should().ContainSingle().Which.Authorization.Should().BeNull("the basic-auth password is the proxy's");

        var hooks = await HooksAsync(caddy, "chat");
        var status = await StatusAsync(caddy, "chat", StatusFormat.Table);

        hooks.ExitCode.Should().Be(0, hooks.Stderr);
        var checks = WebuiChecks(hooks);
        checks[WebuiCheck.HealthCheck].Should().Be("passed");
        checks[WebuiCheck.RefusalCheck].Should().Be("passed");
        checks[WebuiCheck.ModelsCheck].Should().Be("unproven", "the hooks hold no household password");
        status.ExitCode.Should().Be(0, status.Stderr);
        status.Stdout.Should().Contain($"front end https://chat.home.arpa:{caddy.HttpsPort}/: healthy");
        (hooks.Stdout + hooks.Stderr + status.Stdout + status.Stderr).Should().NotContain(CiToken).And.NotContain(AlicePassword);
    }

    [ToolFact("caddy")]
    public async Task With_its_own_accounts_verify_signs_in_through_the_proxy_and_sees_the_declared_models_of_chat()
    {
        repo.Edit("stacks/k3s.yaml", "  domain: chat.home.arpa\n", "  domain: chat.home.arpa\n  signIn: webui\n  adminEmail: admin@home.arpa\n  adminPassword: chatAdminPassword\n");
        var chat = await ChatStandIn();
        var webui = Track(await OpenWebuiStandIn.StartAsync(() => chat.InstalledModels, ("admin@home.arpa", AdminPassword)));
        var caddy = await K3sCaddy(_ => chat.Url.Authority, replicaUpstream: null, webui);

        var hooks = await HooksAsync(caddy, "chat", (WebuiEndpoints.AdminPasswordVariable, AdminPassword));

        hooks.ExitCode.Should().Be(0, hooks.Stderr);
        WebuiChecks(hooks)[WebuiCheck.ModelsCheck].Should().Be("passed");
        webui.Requests.Should().Contain(r => r.Method == "POST" && r.Path == WebuiEndpoints.SignInPath);
        (hooks.Stdout + hooks.Stderr).Should().NotContain(AdminPassword).And.NotContain(CiToken);
    }

    /// <summary>A sign-in to Open WebUI that names an admin in the trusted header itself, with the proxy's basic auth when given.</summary>
    private static HttpRequestMessage SignInRequest(string? basic)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, WebuiEndpoints.SignInPath.TrimStart('/'));
        request.Headers.Add(WebuiEndpoints.TrustedEmailHeader, "admin@chat.home.arpa");
        if (basic is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        }

        return request;
    }

    private static Dictionary<string, string> WebuiChecks(ProcessResult run) =>
        JsonNode.Parse(run.Stdout)!["instances"]![0]!["checks"]!.AsArray()
            .Where(c => c!["model"] is null && c["check"]!.GetValue<string>().StartsWith("the front end", StringComparison.Ordinal))
            .ToDictionary(c => c!["check"]!.GetValue<string>(), c => c!["result"]!.GetValue<string>());

    private async Task<OllamaStandIn> ChatStandIn() => Track(await OllamaStandIn.StartAsync()).WithChatModels(12L << 30);

    private StackSpec Spec() => new ProjectDirectory(repo.Root).Load("k3s", Targets.Rules);

    /// <summary>The example's Caddy, the front end's Service played by <paramref name="webui"/> (by default a healthy stand-in listing nothing).</summary>
    private async Task<CaddyProcess> K3sCaddy(Func<InstanceSpec, string> upstream, Func<InstanceSpec, int, string>? replicaUpstream, OpenWebuiStandIn? webui = null)
    {
        webui ??= Track(await OpenWebuiStandIn.StartAsync(() => []));
        var secrets = new Dictionary<string, string?> { ["ciToken"] = CiToken, ["laptopToken"] = "laptop-K3s-9e12", ["aliceHash"] = await AliceHash.Value };
        return Track(await CaddyProcess.StartAsync(Spec(), upstream, secrets, webui.Address, replicaUpstream));
    }

    private static Dictionary<string, string> Environment(CaddyProcess caddy) =>
        new() { ["HOMELAB_BEARER_ciToken"] = CiToken, [InstanceAccess.CaCertificateVariable] = caddy.RootCertificatePath };

    /// <summary>The stack's proxy URL with only this Caddy's port changed; the client dials Caddy on loopback for the stack's domain.</summary>
    private string Url(CaddyProcess caddy, string instance)
    {
        var spec = Spec();
        var url = new UriBuilder(HookPlan.UrlFor(spec, spec.Instances.First(i => i.Name == instance))) { Port = caddy.HttpsPort }.Uri;
        url.Should().Be(caddy.BaseAddress);
        return url.ToString();
    }

    private async Task<ProcessResult> HooksAsync(CaddyProcess caddy, string instance, params (string Name, string Value)[] more)
    {
        var environment = Environment(caddy);
        foreach (var (name, value) in more)
        {
            environment[name] = value;
        }

        var request = new HooksRequest("k3s", instance, HookPlan.AllSteps.ToHashSet(), ReportFile: null, Url(caddy, instance), CaCertificate: null);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await HooksCommand.RunAsync(request, new ProjectDirectory(repo.Root), name => environment.GetValueOrDefault(name), stdout, stderr, terminal: false, HookHarness.Fast, new FakeTools(), caddy.ConnectAsync, CancellationToken.None);
        return new ProcessResult(code, stdout.ToString(), stderr.ToString());
    }

    private async Task<ProcessResult> StatusAsync(CaddyProcess caddy, string instance, StatusFormat format)
    {
        var environment = Environment(caddy);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var request = new StatusRequest("k3s", instance, Url(caddy, instance), CaCertificate: null, format, Watch: null);
        var code = await StatusCommand.RunAsync(request, new StatusContext(new ProjectDirectory(repo.Root), name => environment.GetValueOrDefault(name), stdout, stderr, Terminal: false,
            HookHarness.Fast, new FakeTools(), caddy.ConnectAsync, TimeProvider.System, Rounds: null), CancellationToken.None);
        return new ProcessResult(code, stdout.ToString(), stderr.ToString());
    }

    private static List<string> Pulled(OllamaStandIn standIn) =>
        standIn.RequestsTo("/api/pull").Select(r => r.Body!["model"]!.GetValue<string>()).ToList();
}
