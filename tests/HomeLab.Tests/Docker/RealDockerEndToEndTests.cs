using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

using HomeLab.Cli;
using HomeLab.Deploy;
using HomeLab.Hooks;
using HomeLab.Tests.Hooks.StandIn;
using HomeLab.Tests.Support;
using HomeLab.Tools;
using HomeLab.Workspace;

using Xunit.Abstractions;

namespace HomeLab.Tests.Docker;

/// <summary>
/// The compiled 'local' program on a real Docker engine (.ci/run starts dockerd): its networks, volumes and
/// containers created as declared, images built here without a registry (Caddy from Debian's binary; an Ollama
/// stand-in that relays to the contract-checked stand-in in this process), the post-deploy hooks run through the real
/// proxy, and the isolation the README promises probed from containers on each network.
/// </summary>
public sealed class RealDockerEndToEndTests(ITestOutputHelper log)
{
    private const string Token = "e2e-R1ght-7f3a91";
    private const string CaddyTag = "homelab-e2e/caddy:local";
    private const string StandInTag = "homelab-e2e/ollama-stand-in:local";

    [DockerFact]
    public async Task The_local_program_runs_on_real_docker_hooks_pass_through_the_proxy_and_only_the_proxy_is_reachable()
    {
        DockerCli.Unavailable().Should().BeNull("CI starts dockerd before the tests (.ci/run)");
        using var engine = await EngineLock.TakeAsync();
        var clock = Stopwatch.StartNew();
        var workspace = new ProjectDirectory(Repo.Root);
        var spec = workspace.Load("local", Targets.Rules);

        // The host preflight on the real engine: the shipped example fits this machine (and its ports are free).
        var preflight = HostPreflight.Run(spec, File.ReadAllText(workspace.StackPath("local")), SystemToolRunner.Instance, Repo.Root);
        preflight.Problems.Select(p => p.ToString()).Concat(preflight.Unreachable).Should().BeEmpty();

        var program = Compiler.Compile(spec);
        var images = program.Resources.Where(r => r.Type == "docker:RemoteImage").ToDictionary(r => r.Name, r => ((HomeLab.Program.Text)r.Properties["name"]!).Value.StartsWith("caddy", StringComparison.Ordinal) ? CaddyTag : StandInTag);
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Publish("llama3.2:1b", 64 << 20);
        using var resources = new DeclaredResources(program, images, new Dictionary<string, string> { ["localToken"] = Token });
        try
        {
            LocalImages.BuildCaddy(CaddyTag);
            resources.CreateNetworksAndVolumes();
            var internalNetwork = DockerCli.Run("network", "inspect", "--format", "{{.Internal}} {{(index .IPAM.Config 0).Gateway}}", "homelab-local-internal").Split(' ');
            internalNetwork[0].Should().Be("true", "Ollama's network has no route out");
            await using var relay = new TcpRelay(IPAddress.Parse(internalNetwork[1]), ollama.Url.Port);
            LocalImages.BuildOllamaStandIn(StandInTag, $"{internalNetwork[1]}:{relay.Port}");
            log.WriteLine($"images and networks ready after {clock.Elapsed.TotalSeconds:0.0} s");

            var ollamaContainer = resources.StartContainer("ollama-container");
            var proxyContainer = resources.StartContainer("proxy");
            log.WriteLine($"containers healthy/started after {clock.Elapsed.TotalSeconds:0.0} s");

            // The post-deploy hooks, as Pulumi's command resource runs them, against the stack's own proxy URL.
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var request = new HooksRequest("local", "ollama", HookPlan.AllSteps.ToHashSet(), null, null, null);
            var code = await HooksCommand.RunAsync(request, workspace, name => name == "HOMELAB_BEARER_localToken" ? Token : null,
                stdout, stderr, terminal: false, HookOptions.Defaults, SystemToolRunner.Instance, connect: null, CancellationToken.None);
            code.Should().Be(ExitCodes.Ok, stderr.ToString());
            JsonNode.Parse(stdout.ToString())!["ok"]!.GetValue<bool>().Should().BeTrue();
            ollama.InstalledModels.Should().Equal("llama3.2:1b");
            (stdout.ToString() + stderr).Should().NotContain(Token);
            log.WriteLine($"hooks done after {clock.Elapsed.TotalSeconds:0.0} s");

            // Through the proxy: no token, wrong token → 401; the right one reaches Ollama.
            using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:8080/") };
            (await StatusAsync(http, null)).Should().Be(HttpStatusCode.Unauthorized);
            (await StatusAsync(http, "wrong")).Should().Be(HttpStatusCode.Unauthorized);
            (await StatusAsync(http, Token)).Should().Be(HttpStatusCode.OK);

            // Published ports: the proxy's one port on 127.0.0.1, nothing for Ollama.
            DockerCli.Run("port", proxyContainer).Should().Be("8080/tcp -> 127.0.0.1:8080");
            DockerCli.Run("port", ollamaContainer).Should().BeEmpty();

            // Isolation, probed from containers: the proxy (internal network) reaches Ollama by its alias — the probe
            // works — while a container on the edge network reaches it neither by name nor at any of its addresses.
            Probe("homelab-local-internal", "http://ollama:11434/api/version").ExitCode.Should().Be(0, "the proxy's network reaches Ollama");
            var addresses = DockerCli.Run("inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", ollamaContainer).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            addresses.Should().HaveCount(2);
            foreach (var target in addresses.Select(a => $"http://{a}:11434/api/version").Prepend("http://ollama:11434/api/version"))
            {
                Probe("homelab-local-edge", target).ExitCode.Should().NotBe(0, $"a container on the edge network must not reach Ollama at {target}");
            }

            // The Docker host's own processes do reach Ollama at its container address, without credentials (README: who can reach Ollama).
            using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            (await direct.GetAsync(new Uri($"http://{addresses[0]}:11434/api/version"))).StatusCode.Should().Be(HttpStatusCode.OK);

            // Limits and options as declared, as the engine applied them.
            DockerCli.Run("inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.SecurityOpt}} {{.HostConfig.LogConfig.Config}}", ollamaContainer)
                .Should().Be($"{6L << 30} {6L << 30} 2000000000 [no-new-privileges:true] map[max-file:3 max-size:10m]");
            log.WriteLine($"probes done after {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            resources.Dispose();
            DockerCli.Try("image", "rm", "--force", CaddyTag, StandInTag);
            log.WriteLine($"real-Docker end-to-end: {clock.Elapsed.TotalSeconds:0.0} s including clean-up");
        }
    }

    [DockerFact]
    public void Homelab_check_on_the_real_engine_fails_at_the_cpus_setting_when_it_exceeds_the_hosts_cpus()
    {
        using var repo = TempRepo.WithExamples();
        var cpus = int.Parse(DockerCli.Run("info", "--format", "{{.NCPU}}"), System.Globalization.CultureInfo.InvariantCulture);
        repo.Edit("stacks/local.yaml", "      cpus: 2\n", $"      cpus: {cpus + 1}\n");

        var result = ProcessRunner.Homelab(repo.Root, null, "check", "local");

        result.ExitCode.Should().Be(ExitCodes.BadInput, result.Stderr);
        result.Stderr.Should().MatchRegex($@"stacks/local\.yaml:\d+:7: host 'local': instance 'ollama' asks for cpus {cpus + 1}, the Docker engine has \d+ CPU\(s\) \(Docker refuses to create the container\) — set cpus to at most \d+");
    }

    /// <summary>curl from a fresh container on <paramref name="network"/>; exit code 0 only when the target answered.</summary>
    private static ProcessResult Probe(string network, string url) =>
        DockerCli.Try("run", "--rm", "--network", network, CaddyTag, "curl", "-sS", "-m", "3", "-o", "/dev/null", url);

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/version");
        request.Headers.Host = "localhost:8080";
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
