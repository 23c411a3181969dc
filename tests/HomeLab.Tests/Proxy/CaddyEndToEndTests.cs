using System.Net;
using System.Net.Http.Headers;
using System.Text;

using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Proxy;

/// <summary>Real Caddy on loopback running the generated Caddyfile in front of recording upstreams.</summary>
public sealed class CaddyEndToEndTests : CaddyTests
{
    private const string LocalToken = "local-token-3f9a";
    private const string Password = "correct horse battery staple";

    [ToolFact("caddy")]
    public async Task Local_stack_forwards_only_requests_with_its_bearer_token()
    {
        var ollama = await Upstream("ollama");
        var caddy = await Caddy(Stacks.Load("local"), new() { ["ollama"] = ollama }, new() { ["localToken"] = LocalToken });
        using var client = caddy.CreateClient();

        using var bare = await client.GetAsync("api/tags");
        using var wrong = await Get(client, "api/tags", bearer: LocalToken + "x");
        using var right = await Get(client, "api/tags", bearer: LocalToken);
        using var openAi = await Get(client, "v1/models", bearer: LocalToken);

        bare.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        bare.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        right.StatusCode.Should().Be(HttpStatusCode.OK);
        (await right.Content.ReadAsStringAsync()).Should().Contain("\"upstream\":\"ollama\"");
        openAi.StatusCode.Should().Be(HttpStatusCode.OK);
        ollama.Requests.Should().HaveCount(2, "refused requests never reach Ollama");
        ollama.Requests.Should().OnlyContain(r => r.Authorization == null && r.Host == ollama.Address, "the token stays at the proxy and Ollama sees the address it listens on");
    }

    [ToolFact("caddy")]
    public async Task Authorised_requests_outside_api_and_v1_get_404_and_unauthorised_ones_401()
    {
        var ollama = await Upstream("ollama");
        var caddy = await Caddy(Stacks.Load("local"), new() { ["ollama"] = ollama }, new() { ["localToken"] = LocalToken });
        using var client = caddy.CreateClient();

        foreach (var path in new[] { "", "api", "metrics", "v2/models", "apix/tags" })
        {
            using var authorised = await Get(client, path, bearer: LocalToken);
            using var anonymous = await client.GetAsync(path);
            authorised.StatusCode.Should().Be(HttpStatusCode.NotFound, $"'/{path}' is not part of Ollama's API");
            anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"'/{path}' without a token");
        }

        ollama.Requests.Should().BeEmpty();
    }

    [ToolTheory("caddy")]
    [InlineData("")]
    [InlineData(null)]
    public async Task An_empty_or_unset_credential_authorises_nobody(string? value)
    {
        var spec = ProxyStacks.Build(ProxyStacks.Tls["off"] + "  auth:\n    bearerTokens: [tokenA]\n    apiKeys:\n      keys: [keyA]\n" + ProxyStacks.Routes["one"].Yaml, ["a"]);
        var a = await Upstream("a");
        var caddy = await Caddy(spec, new() { ["a"] = a }, new() { ["tokenA"] = value, ["keyA"] = value });

        var statuses = new List<int>();
        foreach (var headers in new string[][] { [], ["Authorization: Bearer "], ["Authorization: Bearer"], ["Authorization: "], ["X-API-Key: "], ["X-API-Key:"], ["Authorization: Bearer ", "X-API-Key: "] })
        {
            statuses.Add(await caddy.SendRawAsync("/api/tags", headers));
        }

        statuses.Should().OnlyContain(status => status == 401);
        a.Requests.Should().BeEmpty();
    }

    [ToolFact("caddy")]
    public async Task Api_keys_are_accepted_in_their_header_only_and_never_forwarded()
    {
        var spec = ProxyStacks.Build(ProxyStacks.Tls["off"] + "  auth:\n    bearerTokens: [tokenA]\n    apiKeys:\n      header: X-API-Key\n      keys: [keyA, keyB]\n" + ProxyStacks.Routes["one"].Yaml, ["a"]);
        var a = await Upstream("a");
        var caddy = await Caddy(spec, new() { ["a"] = a }, new() { ["tokenA"] = "token-a", ["keyA"] = "key-a", ["keyB"] = "key-b" });
        using var client = caddy.CreateClient();

        using var keyA = await Get(client, "api/tags", apiKey: ("X-API-Key", "key-a"));
        using var keyB = await Get(client, "api/tags", apiKey: ("x-api-key", "key-b"));
        using var token = await Get(client, "api/tags", bearer: "token-a");
        using var wrongKey = await Get(client, "api/tags", apiKey: ("X-API-Key", "key-c"));
        using var keyAsToken = await Get(client, "api/tags", bearer: "key-a");
        using var tokenAsKey = await Get(client, "api/tags", apiKey: ("X-API-Key", "token-a"));
        using var keyInOtherHeader = await Get(client, "api/tags", apiKey: ("X-Api-Token", "key-a"));

        new[] { keyA, keyB, token }.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        new[] { wrongKey, keyAsToken, tokenAsKey, keyInOtherHeader }.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Unauthorized);
        a.Requests.Should().HaveCount(3);
        a.Requests.Should().OnlyContain(r => !r.HeaderNames.Contains("X-API-Key", StringComparer.OrdinalIgnoreCase) && r.Authorization == null);
    }

    [ToolFact("caddy")]
    public async Task Basic_auth_accepts_the_user_whose_hash_caddy_made_and_tokens_skip_the_login()
    {
        var hash = await CaddyProcess.HashPasswordAsync(Password);
        var spec = ProxyStacks.Build(ProxyStacks.Tls["off"] + ProxyStacks.Auth["bearer+basic"] + ProxyStacks.Routes["one"].Yaml, ["a"]);
        var a = await Upstream("a");
        var caddy = await Caddy(spec, new() { ["a"] = a }, new() { ["tokenA"] = "token-a", ["aliceHash"] = hash });
        using var client = caddy.CreateClient();

        using var bare = await client.GetAsync("api/tags");
        using var alice = await Get(client, "api/tags", basic: ("alice", Password));
        using var wrongPassword = await Get(client, "api/tags", basic: ("alice", Password + "!"));
        using var otherUser = await Get(client, "api/tags", basic: ("bob", Password));
        using var hashAsPassword = await Get(client, "api/tags", basic: ("alice", hash));
        using var token = await Get(client, "api/tags", bearer: "token-a");

        bare.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        bare.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Basic");
        alice.StatusCode.Should().Be(HttpStatusCode.OK);
        new[] { wrongPassword, otherUser, hashAsPassword }.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Unauthorized);
        token.StatusCode.Should().Be(HttpStatusCode.OK);
        a.Requests.Should().HaveCount(2).And.OnlyContain(r => r.Authorization == null);
    }

    [ToolFact("caddy")]
    public async Task A_prefix_route_strips_its_prefix_and_each_route_reaches_only_its_instances()
    {
        var spec = ProxyStacks.Build(ProxyStacks.Tls["off"] + "  auth:\n    bearerTokens: [tokenA]\n  routes:\n    - { prefix: /coder, to: [c] }\n    - { to: [a] }\n", ["a", "c"]);
        var (a, c) = (await Upstream("a"), await Upstream("c"));
        var caddy = await Caddy(spec, new() { ["a"] = a, ["c"] = c }, new() { ["tokenA"] = "token-a" });
        using var client = caddy.CreateClient();

        using var coder = await Get(client, "coder/api/tags", bearer: "token-a");
        using var coderOpenAi = await Get(client, "coder/v1/models", bearer: "token-a");
        using var root = await Get(client, "api/tags", bearer: "token-a");
        using var coderOther = await Get(client, "coder/metrics", bearer: "token-a");
        using var doublePrefix = await Get(client, "coder/coder/api/tags", bearer: "token-a");
        using var lookalike = await Get(client, "coderx/api/tags", bearer: "token-a");
        using var anonymous = await client.GetAsync("coder/api/tags");

        (await coder.Content.ReadAsStringAsync()).Should().Contain("\"upstream\":\"c\"");
        coderOpenAi.StatusCode.Should().Be(HttpStatusCode.OK);
        (await root.Content.ReadAsStringAsync()).Should().Contain("\"upstream\":\"a\"");
        new[] { coderOther, doublePrefix, lookalike }.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.NotFound);
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        c.Requests.Select(r => r.Path).Should().Equal("/api/tags", "/v1/models");
        a.Requests.Select(r => r.Path).Should().Equal("/api/tags");
    }

    [ToolFact("caddy")]
    public async Task Round_robin_sends_requests_to_both_instances_in_turn()
    {
        var spec = ProxyStacks.Build(ProxyStacks.Tls["off"] + ProxyStacks.Auth["bearer"] + "  routes:\n    - { to: [a, b], balance: round_robin }\n", ["a", "b"]);
        var (a, b) = (await Upstream("a"), await Upstream("b"));
        var caddy = await Caddy(spec, new() { ["a"] = a, ["b"] = b }, new() { ["tokenA"] = "token-a", ["tokenB"] = "token-b" });
        using var client = caddy.CreateClient();

        for (var i = 0; i < 10; i++)
        {
            using var response = await Get(client, "api/tags", bearer: i % 2 == 0 ? "token-a" : "token-b");
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        a.Count("/api/tags").Should().Be(5);
        b.Count("/api/tags").Should().Be(5);
    }

    [ToolFact("caddy")]
    public async Task An_instance_that_stops_does_not_fail_requests_another_instance_can_answer()
    {
        var spec = ProxyStacks.Build(ProxyStacks.Tls["off"] + ProxyStacks.Auth["bearer"] + "  routes:\n    - { to: [a, b], balance: least_conn }\n", ["a", "b"]);
        var (a, b) = (await Upstream("a"), await Upstream("b"));
        var caddy = await Caddy(spec, new() { ["a"] = a, ["b"] = b }, new() { ["tokenA"] = "token-a" });
        using var client = caddy.CreateClient();

        // Stopped between two active health checks (10 s apart): only retrying the other instance saves these requests.
        await b.DisposeAsync();
        Forget(b);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await Get(client, "api/tags", bearer: "token-a");
            statuses.Add(response.StatusCode);
        }

        statuses.Should().OnlyContain(s => s == HttpStatusCode.OK);
        a.Count("/api/tags").Should().Be(20);
    }

    [ToolFact("caddy")]
    public async Task A_streamed_generation_arrives_line_by_line_and_is_not_cut_while_idle()
    {
        var ollama = await Upstream("ollama");
        var caddy = await Caddy(Stacks.Load("local"), new() { ["ollama"] = ollama }, new() { ["localToken"] = LocalToken });
        using var client = caddy.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/generate") { Content = new StringContent("""{"model":"llama3.2:1b","prompt":"hi"}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", LocalToken);

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var firstLineWait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = await reader.ReadLineAsync(firstLineWait.Token);
        // The upstream has not written its last line yet: it waits for ReleaseStream. Stay idle a while first.
        await Task.Delay(TimeSpan.FromSeconds(2));
        ollama.ReleaseStream();
        var rest = await reader.ReadToEndAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/x-ndjson");
        first.Should().Contain("\"response\":\"Hel\"").And.Contain("\"done\":false");
        rest.Should().Contain("\"response\":\"lo\"").And.Contain("\"done\":true");
    }

    [ToolFact("caddy")]
    public async Task A_request_for_another_host_name_gets_421_not_an_empty_200()
    {
        var ollama = await Upstream("ollama");
        var caddy = await Caddy(Stacks.Load("local"), new() { ["ollama"] = ollama }, new() { ["localToken"] = LocalToken });
        using var client = caddy.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/tags");
        request.Headers.Host = $"attacker.example:{caddy.HttpPort}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", LocalToken);

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.MisdirectedRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("only to localhost");
        ollama.Requests.Should().BeEmpty();
    }

    [ToolFact("caddy")]
    public async Task Gpu_box_stack_serves_https_from_its_internal_ca_with_tokens_and_basic_auth()
    {
        var hash = await CaddyProcess.HashPasswordAsync(Password);
        var (a, b) = (await Upstream("ollama-a"), await Upstream("ollama-b"));
        var caddy = await Caddy(Stacks.Load("gpu-box"), new() { ["ollama-a"] = a, ["ollama-b"] = b }, new() { ["ciToken"] = "ci-token", ["laptopToken"] = "laptop-token", ["aliceHash"] = hash });
        using var client = caddy.CreateClient();

        using var bare = await client.GetAsync("api/tags");
        using var wrong = await Get(client, "api/tags", bearer: "ci-tokenx");
        using var alice = await Get(client, "api/version", basic: ("alice", Password));
        var okStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await Get(client, i % 2 == 0 ? "api/tags" : "v1/models", bearer: i % 4 < 2 ? "ci-token" : "laptop-token");
            okStatuses.Add(response.StatusCode);
        }

        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var toHttp = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{caddy.HttpPort}/api/tags") { Headers = { Host = "ollama.home.arpa" } };
        using var redirect = await plain.SendAsync(toHttp);

        caddy.BaseAddress.Scheme.Should().Be("https");
        bare.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        bare.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Basic");
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        alice.StatusCode.Should().Be(HttpStatusCode.OK);
        alice.Headers.Contains("Alt-Svc").Should().BeFalse("HTTP/3 is off: Docker publishes TCP only, so no client is sent to a UDP port");
        okStatuses.Should().OnlyContain(s => s == HttpStatusCode.OK);
        (a.Count("/api/tags") + a.Count("/v1/models")).Should().BePositive("least_conn uses both instances");
        (b.Count("/api/tags") + b.Count("/v1/models")).Should().BePositive("least_conn uses both instances");
        redirect.StatusCode.Should().Be(HttpStatusCode.PermanentRedirect);
        redirect.Headers.Location.Should().Be(new Uri($"https://ollama.home.arpa:{caddy.HttpsPort}/api/tags"));
    }
}
