using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

using HomeLab.Cli;
using HomeLab.Conventions;
using HomeLab.Hooks;
using HomeLab.Modules;
using HomeLab.Spec;
using HomeLab.Tests.Hooks.StandIn;
using HomeLab.Tests.Support;
using HomeLab.Workspace;

namespace HomeLab.Tests.Hooks;

/// <summary>
/// The post-deploy hooks end to end: the hooks command, a real Caddy running the Caddyfile that
/// <see cref="CaddyProxy.Render"/> writes for an example stack, and one Ollama stand-in per instance, all on loopback.
/// The hooks get the stack's own proxy URL with only the port changed to the one this Caddy listens on; the host name
/// (Host header, TLS name) stays the stack's domain, which Caddy matches on.
/// </summary>
public sealed class HooksThroughCaddyTests : RunningServers
{
    private const string LocalToken = "local-R1ght-5b2e07";
    private const string WrongToken = "wrong-Wr0ng-8c4d19";
    private const string CiToken = "ci-R1ght-a61f3c";
    private const string LaptopToken = "laptop-R1ght-0d7e42";
    private const string AlicePassword = "correct horse battery staple";
    private const string RefusalCheck = "the proxy refuses a request without credentials";

    private static readonly string[] GpuBoxInstances = ["ollama-a", "ollama-b"];
    private static readonly string[] GpuBoxPulls = ["llama3.1:8b", "nomic-embed-text:v1.5", "qwen2.5-coder:7b"];

    [ToolFact("caddy")]
    public async Task Local_stack_hooks_run_as_pulumi_runs_them_pull_through_caddy_and_a_bare_request_is_refused()
    {
        var ollama = await StandIn();
        ollama.Publish("llama3.2:1b", 256 << 20);
        var caddy = await Caddy("local", new() { ["ollama"] = ollama }, new() { ["localToken"] = LocalToken });

        var run = await HooksProcessAsync(caddy, "ollama", LocalToken);

        run.ExitCode.Should().Be(0, run.Stderr);
        var report = JsonNode.Parse(run.Stdout)!;
        report["ok"]!.GetValue<bool>().Should().BeTrue();
        var instance = report["instances"]![0]!;
        instance["via"]!.GetValue<string>().Should().Be("proxy");
        ModelStates(instance).Should().Equal(new Dictionary<string, string> { ["llama3.2:1b"] = "pulled" });
        RefusalPassed(instance).Should().BeTrue();
        run.Stderr.Should().Contain($"hooks local/ollama via proxy http://localhost:{caddy.HttpPort}/: ok");
        ollama.InstalledModels.Should().Equal("llama3.2:1b");
        PulledModels(ollama).Should().Equal("llama3.2:1b");
        (run.Stdout + run.Stderr).Should().NotContain(LocalToken);

        var seen = ollama.Requests.Count;
        using var client = caddy.CreateClient();
        using var bare = await client.GetAsync("api/tags");
        using var pinnedBare = await SendAsync(client, "api/tags", pin: "ollama");
        bare.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        bare.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
        pinnedBare.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "naming an instance does not get past the authentication");
        ollama.Requests.Count.Should().Be(seen, "refused requests never reach Ollama");
    }

    [ToolFact("caddy")]
    public async Task A_pull_whose_connection_is_cut_in_the_middle_of_a_line_behind_caddy_is_retried()
    {
        var ollama = await StandIn();
        ollama.Publish("llama3.2:1b", 256 << 20);
        ollama.Faults.CutMidLine["llama3.2:1b"] = 1;
        var caddy = await Caddy("local", new() { ["ollama"] = ollama }, new() { ["localToken"] = LocalToken });

        var run = await HooksProcessAsync(caddy, "ollama", LocalToken);

        // Caddy 2.6.2 ends its own answer cleanly when the upstream breaks off, so the hooks see the stream end after
        // part of a line; that is a cut stream, retried, not an answer in some other JSON.
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("pull of 'llama3.2:1b': the stream broke off (the answer was cut short in the middle of a line); retrying");
        PulledModels(ollama).Should().Equal("llama3.2:1b", "llama3.2:1b");
        ollama.InstalledModels.Should().Equal("llama3.2:1b");
    }

    [ToolFact("caddy")]
    public async Task Local_stack_hooks_with_a_wrong_token_exit_1_with_one_message_naming_the_secret_key()
    {
        var ollama = await StandIn();
        ollama.Publish("llama3.2:1b", 256 << 20);
        var caddy = await Caddy("local", new() { ["ollama"] = ollama }, new() { ["localToken"] = LocalToken });
        var reportFile = Path.Combine(Directory.CreateTempSubdirectory("homelab-hooks-report-").FullName, "report.json");
        try
        {
            var run = await HooksProcessAsync(caddy, "ollama", WrongToken, "--report", reportFile);

            run.ExitCode.Should().Be(1, run.Stderr);
            run.Stdout.Should().BeEmpty("the report went to --report");
            var report = await File.ReadAllTextAsync(reportFile);
            JsonNode.Parse(report)!["ok"]!.GetValue<bool>().Should().BeFalse();
            FinalMessage(run.Stderr).Should().Be(
                "homelab hooks: local/ollama: asking for Ollama's version: the proxy refused the credential in HOMELAB_BEARER_localToken (secret config 'localToken') (HTTP 401); it does not match the one the proxy was deployed with");
            foreach (var token in new[] { WrongToken, LocalToken })
            {
                (run.Stdout + run.Stderr + report).Should().NotContain(token);
            }

            ollama.Requests.Should().BeEmpty("Caddy refused every request before it reached Ollama");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(reportFile)!, recursive: true);
        }
    }

    [ToolFact("caddy")]
    public async Task Gpu_box_hooks_trust_the_internal_ca_and_pin_each_instance_behind_the_balanced_route()
    {
        var a = await GpuBoxStandIn();
        var b = await GpuBoxStandIn();
        var caddy = await GpuBoxCaddy(a, b);
        var environment = new Dictionary<string, string>
        {
            ["HOMELAB_BEARER_ciToken"] = CiToken,
            [InstanceAccess.CaCertificateVariable] = caddy.RootCertificatePath,
        };

        // As Pulumi runs them: one hooks command per instance, both at once.
        var runs = await Task.WhenAll(GpuBoxInstances.Select(name => HooksInProcessAsync(caddy, name, environment)));

        foreach (var (run, name) in runs.Zip(GpuBoxInstances))
        {
            run.ExitCode.Should().Be(0, run.Stderr);
            var report = JsonNode.Parse(run.Stdout)!;
            report["ok"]!.GetValue<bool>().Should().BeTrue(run.Stderr);
            var instance = report["instances"]![0]!;
            instance["instance"]!.GetValue<string>().Should().Be(name);
            ModelStates(instance).Should().Equal(new Dictionary<string, string>
            {
                ["llama3.1:8b"] = "pulled",
                ["nomic-embed-text:v1.5"] = "pulled",
                ["reviewer"] = "created",
                ["qwen2.5-coder:7b"] = "pulled",
            });
            // Every check passed but the front end's model list, which sign-in by the proxy leaves unproven (WebuiCheck).
            instance["checks"]!.AsArray().Where(c => c!["check"]!.GetValue<string>() != WebuiCheck.ModelsCheck).Should().OnlyContain(c => c!["ok"]!.GetValue<bool>());
            instance["checks"]!.AsArray().Should().Contain(c => c!["check"]!.GetValue<string>() == WebuiCheck.HealthCheck)
                .And.ContainSingle(c => c!["check"]!.GetValue<string>() == WebuiCheck.ModelsCheck && c!["result"]!.GetValue<string>() == CheckReport.Unproven);
            RefusalPassed(instance).Should().BeTrue();
            run.Stderr.Should().Contain($"hooks gpu-box/{name} via proxy https://ollama.home.arpa:{caddy.HttpsPort}/: ok");
            (run.Stdout + run.Stderr).Should().NotContain(CiToken);
        }

        foreach (var (standIn, own, other) in new[] { (a, "ollama-a", "ollama-b"), (b, "ollama-b", "ollama-a") })
        {
            PulledModels(standIn).Distinct().Should().BeEquivalentTo(GpuBoxPulls, $"{own}'s hooks pulled each model on {own} only (PullStep retries a pull that failed for a transient reason, as on a busy machine with the test's 5 s reads, and a retry asks again)");
            standIn.RequestsTo("/api/create").Select(r => r.Body!["model"]!.GetValue<string>()).Should().Equal("reviewer");
            standIn.InstalledModels.Should().Equal("llama3.1:8b", "nomic-embed-text:v1.5", "qwen2.5-coder:7b", "reviewer:latest");
            // The pulls and the create above show each instance got its own hooks' requests; the pinning header
            // itself is for the proxy only and never reaches Ollama.
            standIn.Requests.Should().NotBeEmpty().And.OnlyContain(r => r.Instance == null, $"Caddy strips {HookRouting.InstanceHeader} (no request of {other}'s hooks reached {own}: see its pulls)");
        }

        var pinnedBefore = (Pinned(a), Pinned(b));
        using var client = caddy.CreateClient();
        using var bare = await client.GetAsync("api/tags");
        using var pinnedBare = await SendAsync(client, "api/tags", pin: "ollama-a");
        using var laptop = await SendAsync(client, "api/tags", bearer: LaptopToken, pin: "ollama-b");
        bare.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        bare.Headers.WwwAuthenticate.Should().Contain(h => h.Scheme == "Basic");
        pinnedBare.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "naming an instance does not get past the authentication");
        laptop.StatusCode.Should().Be(HttpStatusCode.OK);
        (Pinned(a), Pinned(b)).Should().Be((pinnedBefore.Item1, pinnedBefore.Item2 + 1), "only the authorised request reached an instance: the one it named");
    }

    [ToolFact("caddy")]
    public async Task Gpu_box_hooks_with_a_wrong_token_exit_1_with_one_message_naming_the_secret_key()
    {
        var a = await GpuBoxStandIn();
        var b = await GpuBoxStandIn();
        var caddy = await GpuBoxCaddy(a, b);

        var run = await HooksInProcessAsync(caddy, "ollama-b", new Dictionary<string, string>
        {
            ["HOMELAB_BEARER_ciToken"] = WrongToken,
            [InstanceAccess.CaCertificateVariable] = caddy.RootCertificatePath,
        });

        run.ExitCode.Should().Be(1, run.Stderr);
        JsonNode.Parse(run.Stdout)!["ok"]!.GetValue<bool>().Should().BeFalse();
        FinalMessage(run.Stderr).Should().Be(
            "homelab hooks: gpu-box/ollama-b: asking for Ollama's version: the proxy refused the credential in HOMELAB_BEARER_ciToken (secret config 'ciToken') (HTTP 401); it does not match the one the proxy was deployed with");
        foreach (var token in new[] { WrongToken, CiToken })
        {
            (run.Stdout + run.Stderr).Should().NotContain(token);
        }

        (a.Requests.Concat(b.Requests)).Should().OnlyContain(r => r.Instance == null, "only Caddy's health checks reached the instances");
    }

    [ToolFact("caddy")]
    public async Task Gpu_box_hooks_on_a_first_deploy_read_the_internal_ca_from_the_proxy_container_and_trust_it()
    {
        var a = await GpuBoxStandIn();
        var b = await GpuBoxStandIn();
        var caddy = await GpuBoxCaddy(a, b);
        var docker = new FakeTools().Answer("docker ", 0, File.ReadAllText(caddy.RootCertificatePath));

        var run = await HooksInProcessAsync(caddy, "ollama-a", new Dictionary<string, string> { ["HOMELAB_BEARER_ciToken"] = CiToken }, docker);

        run.ExitCode.Should().Be(0, run.Stderr);
        docker.CapturedLines.Should().Equal("docker -H ssh://ops@gpu-box.lan exec homelab-gpu-box-proxy cat /data/caddy/pki/authorities/local/root.crt");
        run.Stderr.Should().Contain("hooks: trusting the proxy's internal CA 'CN=Caddy Local Authority");
    }

    [ToolFact("caddy")]
    public async Task Gpu_box_hooks_without_the_internal_ca_stop_at_once_saying_how_to_trust_it()
    {
        var a = await GpuBoxStandIn();
        var b = await GpuBoxStandIn();
        var caddy = await GpuBoxCaddy(a, b);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var run = await HooksInProcessAsync(caddy, "ollama-a", new Dictionary<string, string> { ["HOMELAB_BEARER_ciToken"] = CiToken });

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "an untrusted certificate does not get better by waiting out the 5m readyTimeout");
        run.ExitCode.Should().Be(1, run.Stderr);
        FinalMessage(run.Stderr).Should().StartWith("homelab hooks: gpu-box/ollama-a: asking for Ollama's version: the certificate of https://ollama.home.arpa")
            .And.Contain("export HOMELAB_CA_CERT=");
        (run.Stdout + run.Stderr).Should().NotContain(CiToken);
    }

    /// <summary>The stack's own proxy URL with the port this Caddy listens on: the one thing a loopback test must change.</summary>
    private static Uri UrlOnLoopbackPort(CaddyProcess caddy, StackSpec spec, string instance)
    {
        var url = new UriBuilder(HookPlan.UrlFor(spec, spec.Instances.First(i => i.Name == instance))) { Port = caddy.Proxy.Tls is TlsMode.Off ? caddy.HttpPort : caddy.HttpsPort }.Uri;
        url.Should().Be(caddy.BaseAddress, "the hooks address the proxy by the stack's domain");
        return url;
    }

    /// <summary>The built homelab, run as Pulumi's command runs it, with the credential in the variable Pulumi sets from secret config.</summary>
    private static Task<ProcessResult> HooksProcessAsync(CaddyProcess caddy, string instance, string token, params string[] extra)
    {
        var spec = Stacks.Load("local");
        var variable = spec.Proxy!.Auth.Credentials().Single();
        var environment = new Dictionary<string, string?> { [variable.Variable] = token, [InstanceAccess.CaCertificateVariable] = null };
        string[] arguments = ["hooks", "local", "--instance", instance, "--url", UrlOnLoopbackPort(caddy, spec, instance).ToString(), .. extra];
        return Task.Run(() => ProcessRunner.Homelab(Repo.Root, environment, arguments));
    }

    /// <summary>
    /// The hooks command's body in this process, for a stack whose domain only this test can resolve: the client dials
    /// Caddy on loopback for it, everything else (URL, TLS trust from the environment, credential) is the command's own.
    /// </summary>
    private static async Task<ProcessResult> HooksInProcessAsync(CaddyProcess caddy, string instance, IReadOnlyDictionary<string, string> environment, FakeTools? tools = null)
    {
        var spec = Stacks.Load("gpu-box");
        var request = new HooksRequest(spec.Name, instance, HookPlan.AllSteps.ToHashSet(), ReportFile: null, UrlOnLoopbackPort(caddy, spec, instance).ToString(), CaCertificate: null);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await HooksCommand.RunAsync(request, new ProjectDirectory(Repo.Root), name => environment.GetValueOrDefault(name), stdout, stderr, terminal: false, HookHarness.Fast, tools ?? new FakeTools(), caddy.ConnectAsync, CancellationToken.None);
        return new ProcessResult(code, stdout.ToString(), stderr.ToString());
    }

    private async Task<OllamaStandIn> StandIn()
    {
        var standIn = await OllamaStandIn.StartAsync();
        Track(standIn);
        return standIn;
    }

    private async Task<OllamaStandIn> GpuBoxStandIn()
    {
        var standIn = await StandIn();

        // The stack's GPU card and its maxLoadedModels: 2 (OLLAMA_MAX_LOADED_MODELS).
        standIn.GpuMemory = 12L << 30;
        standIn.MaxLoadedModels = 2;
        standIn.Publish("llama3.1:8b", 300 << 20);
        standIn.Publish("nomic-embed-text:v1.5", 80 << 20, kind: "embedding");
        standIn.Publish("qwen2.5-coder:7b", 280 << 20);
        return standIn;
    }

    private async Task<CaddyProcess> Caddy(string stack, Dictionary<string, OllamaStandIn> upstreams, Dictionary<string, string?> secrets, string? webui = null)
    {
        var caddy = await CaddyProcess.StartAsync(Stacks.Load(stack), instance => upstreams[instance.Name].Url.Authority, secrets, webui);
        Track(caddy);
        return caddy;
    }

    /// <summary>Caddy for gpu-box, with an Open WebUI stand-in as its front end that lists what both instances hold.</summary>
    private async Task<CaddyProcess> GpuBoxCaddy(OllamaStandIn a, OllamaStandIn b)
    {
        var webui = Track(await OpenWebuiStandIn.StartAsync(() => a.InstalledModels.Union(b.InstalledModels)));
        return await Caddy("gpu-box", new() { ["ollama-a"] = a, ["ollama-b"] = b }, new()
        {
            ["ciToken"] = CiToken,
            ["laptopToken"] = LaptopToken,
            ["aliceHash"] = await CaddyProcess.HashPasswordAsync(AlicePassword),
        }, webui.Address);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string? bearer = null, string? pin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (pin is not null)
        {
            request.Headers.Add(HookRouting.InstanceHeader, pin);
        }

        return client.SendAsync(request);
    }

    private static Dictionary<string, string> ModelStates(JsonNode instance) =>
        instance["models"]!.AsArray().ToDictionary(m => m!["name"]!.GetValue<string>(), m => m!["state"]!.GetValue<string>());

    private static bool RefusalPassed(JsonNode instance) =>
        instance["checks"]!.AsArray().Single(c => c!["check"]!.GetValue<string>() == RefusalCheck) is { } check
        && check["ok"]!.GetValue<bool>()
        && check["detail"]!.GetValue<string>() == "HTTP 401";

    /// <summary>Requests for the model list that reached <paramref name="standIn"/> (the hooks and health checks send none after they finish).</summary>
    private static int Pinned(OllamaStandIn standIn) => standIn.RequestsTo("/api/tags").Count();

    private static List<string> PulledModels(OllamaStandIn standIn) =>
        standIn.RequestsTo("/api/pull").Select(r => r.Body!["model"]!.GetValue<string>()).ToList();

    /// <summary>The last line on stderr, after checking that it is the only failure line.</summary>
    private static string FinalMessage(string stderr)
    {
        var lines = stderr.TrimEnd().Split('\n');
        lines.Where(l => l.StartsWith("homelab hooks:", StringComparison.Ordinal)).Should().ContainSingle(stderr);
        return lines[^1];
    }
}
