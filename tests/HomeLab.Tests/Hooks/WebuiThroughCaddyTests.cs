using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

using HomeLab.Conventions;
using HomeLab.Hooks;
using HomeLab.Tests.Hooks.StandIn;
using HomeLab.Tests.Support;
using HomeLab.Workspace;

namespace HomeLab.Tests.Hooks;

/// <summary>
/// Verify's front-end checks end to end: the hooks command, a real Caddy running the Caddyfile the stack compiles to,
/// an Ollama stand-in and an Open WebUI stand-in (<see cref="OpenWebuiStandIn"/>), all on loopback. What reached the
/// Open WebUI stand-in is what Open WebUI would have seen.
/// </summary>
public sealed class WebuiThroughCaddyTests : RunningServers
{
    private const string Token = "lab-W3bui-4c7e21";
    private const string AdminPassword = "admin-Pa55-9d0b3f";
    private const string AdminEmail = "admin@home.arpa";
    private const string Model = "llama3.2:1b";

    /// <summary>The harness's proxied stack with basic-auth user alice (the proxy's sign-in) and a front end signing in as <paramref name="signIn"/> says.</summary>
    private static string Stack(string signIn) => HookHarness.ProxiedStack(
        $"      - {Model}",
        auth: "\n    basicAuth:\n      - { user: alice, passwordHash: aliceHash }",
        sections: $"\nwebui:\n  host: lab\n  domain: chat.home.arpa\n  signIn: {signIn}\n"
            + (signIn == "webui" ? $"  adminEmail: {AdminEmail}\n  adminPassword: adminPassword\n" : ""));

    [ToolFact("caddy")]
    public async Task In_webui_mode_verify_signs_in_as_the_admin_and_sees_the_declared_models_through_the_proxy()
    {
        var (caddy, ollama, webui) = await LabAsync("webui", standIn => () => standIn.InstalledModels);

        var run = await HooksAsync(caddy, "webui", new() { ["HOMELAB_BEARER_labToken"] = Token, [WebuiEndpoints.AdminPasswordVariable] = AdminPassword });

        run.ExitCode.Should().Be(0, run.Stderr);
        var checks = Checks(run);
        checks[WebuiCheck.HealthCheck].Should().Be("passed");
        checks[WebuiCheck.RefusalCheck].Should().Be("passed");
        checks[WebuiCheck.ModelsCheck].Should().Be("passed");
        ollama.InstalledModels.Should().Equal(Model);
        var seen = webui.Requests.ToList();
        seen.Should().Contain(r => r.Method == "POST" && r.Path == WebuiEndpoints.SignInPath);
        seen.Where(r => r.Path == WebuiEndpoints.ModelsPath && r.Authorization != null).Should().ContainSingle()
            .Which.Authorization.Should().StartWith("Bearer ").And.NotContain(Token, "the session token, not the proxy's");
        (run.Stdout + run.Stderr).Should().NotContain(Token).And.NotContain(AdminPassword);
    }

    [ToolFact("caddy")]
    public async Task In_webui_mode_a_front_end_that_does_not_list_a_declared_model_fails_verify_naming_it()
    {
        var (caddy, _, _) = await LabAsync("webui", _ => () => []);

        var run = await HooksAsync(caddy, "webui", new() { ["HOMELAB_BEARER_labToken"] = Token, [WebuiEndpoints.AdminPasswordVariable] = AdminPassword });

        run.ExitCode.Should().Be(1, run.Stderr);
        Checks(run)[WebuiCheck.ModelsCheck].Should().Be("failed");
        run.Stderr.Should().Contain($"check failed: {WebuiCheck.ModelsCheck}: missing: {Model}");
    }

    [ToolFact("caddy")]
    public async Task In_webui_mode_a_wrong_admin_password_fails_verify_without_printing_it()
    {
        var (caddy, _, _) = await LabAsync("webui", standIn => () => standIn.InstalledModels);
        const string Wrong = "wrong-Pa55-0000";

        var run = await HooksAsync(caddy, "webui", new() { ["HOMELAB_BEARER_labToken"] = Token, [WebuiEndpoints.AdminPasswordVariable] = Wrong });

        run.ExitCode.Should().Be(1, run.Stderr);
        Checks(run)[WebuiCheck.ModelsCheck].Should().Be("failed");
        run.Stderr.Should().Contain($"check failed: {WebuiCheck.ModelsCheck}: signing in to the front end as its admin and listing its models: http://chat.home.arpa:{caddy.HttpPort}/ answered HTTP 400");
        (run.Stdout + run.Stderr).Should().NotContain(Wrong).And.NotContain(Token);
    }

    [ToolFact("caddy")]
    public async Task In_webui_mode_the_hooks_without_the_admin_password_say_how_to_set_it()
    {
        var (caddy, _, _) = await LabAsync("webui", standIn => () => standIn.InstalledModels);

        var run = await HooksAsync(caddy, "webui", new() { ["HOMELAB_BEARER_labToken"] = Token });

        run.ExitCode.Should().Be(ExitCodes.BadInput);
        run.Stderr.Should().Contain($"the hooks sign in to the front end as its admin with secret config 'adminPassword', but {WebuiEndpoints.AdminPasswordVariable} is not set")
            .And.Contain("pulumi config get adminPassword --stack lab");
    }

    [ToolFact("caddy")]
    public async Task In_proxy_mode_verify_sees_the_front_end_healthy_with_the_hooks_token_which_opens_nothing_else()
    {
        var (caddy, _, webui) = await LabAsync("proxy", standIn => () => standIn.InstalledModels);

        var run = await HooksAsync(caddy, "proxy", new() { ["HOMELAB_BEARER_labToken"] = Token });

        run.ExitCode.Should().Be(0, run.Stderr);
        var checks = Checks(run);
        checks[WebuiCheck.HealthCheck].Should().Be("passed");
        checks[WebuiCheck.RefusalCheck].Should().Be("passed");
        checks[WebuiCheck.ModelsCheck].Should().Be("unproven", "the hooks hold no household password");
        webui.Requests.Should().ContainSingle().Which.Should().Be(("GET", WebuiEndpoints.HealthPath, (string?)null), "Caddy removed the token before Open WebUI");

        // The token opens exactly GET /health: nothing else of the front end, and never as a session.
        using var client = caddy.CreateClient("chat.home.arpa");
        foreach (var (method, path) in new[] { (HttpMethod.Get, "api/models"), (HttpMethod.Post, "health"), (HttpMethod.Get, "health/db"), (HttpMethod.Post, "api/v1/auths/signin") })
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var response = await client.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"{method} /{path} with the proxy's token");
        }

        webui.Requests.Should().HaveCount(1, "no request with the proxy's token reached Open WebUI");
        (run.Stdout + run.Stderr).Should().NotContain(Token);
    }

    [ToolFact("caddy")]
    public async Task A_front_end_that_says_it_is_unhealthy_fails_verify()
    {
        var (caddy, _, webui) = await LabAsync("proxy", standIn => () => standIn.InstalledModels);
        webui.Healthy = false;

        var run = await HooksAsync(caddy, "proxy", new() { ["HOMELAB_BEARER_labToken"] = Token });

        run.ExitCode.Should().Be(1, run.Stderr);
        Checks(run)[WebuiCheck.HealthCheck].Should().Be("failed");
        run.Stderr.Should().Contain($"check failed: {WebuiCheck.HealthCheck}: http://chat.home.arpa:{caddy.HttpPort}/ answered /health without status true");
    }

    private async Task<(CaddyProcess Caddy, OllamaStandIn Ollama, OpenWebuiStandIn Webui)> LabAsync(string signIn, Func<OllamaStandIn, Func<IEnumerable<string>>> models)
    {
        var ollama = Track(await OllamaStandIn.StartAsync());
        ollama.Publish(Model, 256 << 20);
        var webui = Track(await OpenWebuiStandIn.StartAsync(models(ollama), signIn == "webui" ? (AdminEmail, AdminPassword) : null));
        var caddy = Track(await CaddyProcess.StartAsync(Stacks.Parse(Stack(signIn), "lab"), _ => ollama.Url.Authority, new Dictionary<string, string?>
        {
            ["labToken"] = Token,
            ["aliceHash"] = await CaddyProcess.HashPasswordAsync("alice's password"),
        }, webui.Address));
        return (caddy, ollama, webui);
    }

    /// <summary>The hooks command's body for a workspace holding the stack, at the proxy's URL with this Caddy's port, dialled on loopback.</summary>
    private static Task<ProcessResult> HooksAsync(CaddyProcess caddy, string signIn, Dictionary<string, string> environment) =>
        HookHarness.CliAsync(Stack(signIn), caddy.BaseAddress, environment, connect: caddy.ConnectAsync);

    private static Dictionary<string, string> Checks(ProcessResult run) =>
        JsonNode.Parse(run.Stdout)!["instances"]![0]!["checks"]!.AsArray()
            .Where(c => c!["model"] is null)
            .ToDictionary(c => c!["check"]!.GetValue<string>(), c => c!["result"]!.GetValue<string>());
}
