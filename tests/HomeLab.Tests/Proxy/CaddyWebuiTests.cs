using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;

using HomeLab.Conventions;
using HomeLab.Modules.Proxy;
using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Proxy;

/// <summary>
/// The chat front end's site through real Caddy: a recording stand-in plays Open WebUI, another plays Ollama. What
/// Open WebUI would do with a trusted header (routers/auths.py, signin(): sign in, or sign up, whoever it names) is
/// why every test here looks at what reached the stand-in, not only at status codes.
/// </summary>
public sealed class CaddyWebuiTests : CaddyTests
{
    private const string Password = "correct horse battery staple";
    private const string Chat = "chat.home.arpa";
    private static readonly Lazy<Task<string>> Hash = new(() => CaddyProcess.HashPasswordAsync(Password));

    private static StackSpec Stack(string signIn, string tls = "off") => ProxyStacks.Build(
        ProxyStacks.Tls[tls] + "  auth:\n    bearerTokens: [tokenA]\n    basicAuth:\n      - { user: alice, passwordHash: aliceHash }\n" + ProxyStacks.Routes["one"].Yaml
        + $"webui:\n  host: local\n  domain: {Chat}\n  signIn: {signIn}\n" + (signIn == "webui" ? "  adminEmail: admin@home.arpa\n  adminPassword: adminPassword\n" : ""),
        ["a"]);

    private async Task<(CaddyProcess Caddy, RecordingUpstream Webui, RecordingUpstream Ollama)> StartAsync(string signIn, string tls = "off")
    {
        var (ollama, webui) = (await Upstream("a"), await Upstream("webui"));
        var caddy = await Caddy(Stack(signIn, tls), new() { ["a"] = ollama }, new() { ["tokenA"] = "token-a", ["aliceHash"] = await Hash.Value }, webui);
        return (caddy, webui, ollama);
    }

    [ToolFact("caddy")]
    public async Task Signing_in_at_the_proxy_names_the_user_to_Open_WebUI_in_the_trusted_headers_only()
    {
        var (caddy, webui, ollama) = await StartAsync("proxy");
        using var client = caddy.CreateClient(Chat);

        using var models = await Get(client, "api/models", basic: ("alice", Password));

        models.StatusCode.Should().NotBe(HttpStatusCode.Unauthorized);
        models.Headers.GetValues("X-Upstream").Should().Equal("webui");
        var seen = webui.Requests.Should().ContainSingle().Subject;
        seen.Values[WebuiEndpoints.TrustedEmailHeader].Should().Be($"alice@{Chat}");
        seen.Values[WebuiEndpoints.TrustedNameHeader].Should().Be("alice");
        seen.Authorization.Should().BeNull("the basic-auth password is the proxy's");
        ollama.Requests.Should().BeEmpty();
    }

    [ToolFact("caddy")]
    public async Task A_spoofed_trusted_header_never_reaches_Open_WebUI_whatever_else_the_request_carries()
    {
        var (caddy, webui, _) = await StartAsync("proxy");
        var alice = "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"alice:{Password}"));
        var spoofs = new[]
        {
            $"{WebuiEndpoints.TrustedEmailHeader}: admin@{Chat}",
            $"{WebuiEndpoints.TrustedEmailHeader.ToLowerInvariant()}: admin@{Chat}",
            $"{WebuiEndpoints.TrustedEmailHeader.ToUpperInvariant()}: admin@{Chat}",
            $"{WebuiEndpoints.TrustedNameHeader}: admin",
        };

        var statuses = new List<int>();
        foreach (var spoof in spoofs)
        {
            statuses.Add(await caddy.SendRawAsync("/api/models", [spoof], host: Chat));
            statuses.Add(await caddy.SendRawAsync("/api/models", [spoof, alice], host: Chat));
            statuses.Add(await caddy.SendRawAsync("/api/models", [alice, spoof, spoof], host: Chat));
            statuses.Add(await caddy.SendRawAsync("/api/v1/auths/signin", [spoof, "Authorization: Bearer forged.session.token"], host: Chat));
        }

        statuses.Where((_, i) => i % 4 == 0).Should().OnlyContain(s => s == 401, "a header alone is no sign-in");
        webui.Requests.Should().HaveCount(spoofs.Length * 3);
        foreach (var seen in webui.Requests)
        {
            var email = seen.Values.GetValueOrDefault(WebuiEndpoints.TrustedEmailHeader);
            var name = seen.Values.GetValueOrDefault(WebuiEndpoints.TrustedNameHeader);
            if (seen.Authorization is null)
            {
                (email, name).Should().Be(($"alice@{Chat}", "alice"), "after basic auth only the proxy's own values arrive, once");
            }
            else
            {
                (email, name).Should().Be(((string?)null, (string?)null), "a session token reaches Open WebUI with no trusted header, so it can sign no one in");
            }
        }
    }

    [ToolFact("caddy")]
    public async Task Without_a_valid_sign_in_nothing_reaches_Open_WebUI()
    {
        var (caddy, webui, ollama) = await StartAsync("proxy");
        using var client = caddy.CreateClient(Chat);

        var refused = new List<HttpResponseMessage>
        {
            await client.GetAsync(""),
            await client.GetAsync("api/models"),
            await Get(client, "api/models", basic: ("alice", Password + "!")),
            await Get(client, "api/models", basic: ("bob", Password)),
            await Get(client, "api/models", basic: ("alice", await Hash.Value)),
            // The Ollama site's token is not a sign-in to the front end.
            await Get(client, "api/models", apiKey: ("Authorization", "Basic token-a")),
            await Get(client, "api/models", apiKey: ("Authorization", "Bearer ")),
        };

        refused.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Unauthorized);
        refused[1].Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Basic");
        webui.Requests.Should().BeEmpty();
        ollama.Requests.Should().BeEmpty();
        refused.ForEach(r => r.Dispose());
    }

    [ToolFact("caddy")]
    public async Task The_chat_domain_has_no_path_to_Ollama_and_the_Ollama_domain_none_to_Open_WebUI()
    {
        var (caddy, webui, ollama) = await StartAsync("proxy");
        using var chat = caddy.CreateClient(Chat);
        using var api = caddy.CreateClient();

        foreach (var path in new[] { "api/tags", "api/version", "api/generate", "v1/models", "ollama/api/tags", "a/api/tags" })
        {
            using var response = await Get(chat, path, basic: ("alice", Password));
            response.Headers.GetValues("X-Upstream").Should().Equal(["webui"], $"'/{path}' on the chat domain is Open WebUI's");
        }

        using var health = await Get(api, "health", bearer: "token-a");
        using var models = await Get(api, "api/models", bearer: "token-a");

        ollama.Requests.Should().ContainSingle("only /api/models on the Ollama domain is Ollama's").Which.Path.Should().Be("/api/models");
        health.StatusCode.Should().Be(HttpStatusCode.NotFound);
        webui.Requests.Should().HaveCount(6);
    }

    [ToolFact("caddy")]
    public async Task A_WebSocket_upgrade_passes_through_after_sign_in_and_not_before()
    {
        var (caddy, webui, _) = await StartAsync("proxy");
        var uri = new Uri($"ws://{Chat}:{caddy.HttpPort}/ws/socket.io/?EIO=4&transport=websocket");
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = caddy.ConnectAsync });

        using var signedIn = new ClientWebSocket();
        signedIn.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"alice:{Password}")));
        await signedIn.ConnectAsync(uri, invoker, CancellationToken.None);
        await signedIn.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var buffer = new byte[256];
        var received = await signedIn.ReceiveAsync(buffer, CancellationToken.None);

        using var anonymous = new ClientWebSocket();
        var refused = async () => await anonymous.ConnectAsync(uri, invoker, CancellationToken.None);

        Encoding.UTF8.GetString(buffer, 0, received.Count).Should().Be("webui:hello");
        await refused.Should().ThrowAsync<WebSocketException>();
        webui.Requests.Should().ContainSingle().Which.Values[WebuiEndpoints.TrustedEmailHeader].Should().Be($"alice@{Chat}");
    }

    [ToolFact("caddy")]
    public async Task Open_WebUI_sign_in_passes_requests_on_but_still_strips_the_trusted_headers()
    {
        var (caddy, webui, _) = await StartAsync("webui");

        var status = await caddy.SendRawAsync(WebuiEndpoints.HealthPath, [$"{WebuiEndpoints.TrustedEmailHeader}: admin@{Chat}", $"{WebuiEndpoints.TrustedNameHeader}: admin"], host: Chat);

        status.Should().Be(200);
        webui.Requests.Should().ContainSingle().Which.HeaderNames.Should().NotContain(n =>
            n.Equals(WebuiEndpoints.TrustedEmailHeader, StringComparison.OrdinalIgnoreCase) || n.Equals(WebuiEndpoints.TrustedNameHeader, StringComparison.OrdinalIgnoreCase));
    }

    [ToolFact("caddy")]
    public async Task With_internal_TLS_the_chat_domain_gets_its_own_certificate_and_plain_HTTP_moves_to_HTTPS()
    {
        var (caddy, webui, _) = await StartAsync("proxy", "internal");
        using var chat = caddy.CreateClient(Chat);
        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectCallback = caddy.ConnectAsync });

        using var models = await Get(chat, "api/models", basic: ("alice", Password));
        using var redirect = await plain.GetAsync($"http://{Chat}:{caddy.HttpPort}/api/models");

        models.Headers.GetValues("X-Upstream").Should().Equal("webui");
        redirect.StatusCode.Should().Be(HttpStatusCode.PermanentRedirect);
        redirect.Headers.Location.Should().Be(new Uri($"https://{Chat}:{caddy.HttpsPort}/api/models"));
        webui.Requests.Should().ContainSingle();
    }

    [ToolTheory("caddy")]
    [InlineData("proxy", "internal")]
    [InlineData("proxy", "acme")]
    [InlineData("webui", "off")]
    public async Task Caddy_validates_the_Caddyfile_with_a_front_end(string signIn, string tls)
    {
        var spec = Stack(signIn, tls);
        var caddyfile = CaddyProxy.Render(spec, spec.Proxy!, new CaddySite(18080, 18443, instance => $"{instance.Name}:11434", "127.0.0.1", WebuiEndpoints.ContainerUpstream));

        var run = await CaddyProcess.ValidateAsync(caddyfile, CaddyProcess.CredentialVariables(spec.Proxy!.Auth, new Dictionary<string, string?> { ["tokenA"] = "t", ["aliceHash"] = await Hash.Value }));

        run.ExitCode.Should().Be(0, run.Output);
        caddyfile.Should().Contain($"request_header -{WebuiEndpoints.TrustedEmailHeader}");
    }
}
