using System.Net;
using System.Text;

using HomeLab.Modules;
using HomeLab.Modules.Proxy;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Proxy;

/// <summary>
/// No credential reaches Caddy's logs, even when an upstream fails and Caddy logs the request with its headers
/// (caddyserver/caddy modules/caddyhttp/server.go, ServeHTTP: errors are logged with the loggable request).
/// </summary>
public sealed class CredentialLogTests : CaddyTests
{
    private const string Token = "MARKER-TOKEN-7d1e";
    private const string Key = "MARKER-KEY-52ab";
    private const string Password = "MARKER-PASSWORD-c90f";

    [ToolFact("caddy")]
    public async Task An_upstream_failure_logs_the_request_without_any_credential()
    {
        // Lower-case header name on purpose: the filter must match the name as Go writes it (X-Api-Token).
        var spec = ProxyStacks.Build(ProxyStacks.Tls["off"] + "  auth:\n    bearerTokens: [tokenA]\n    apiKeys:\n      header: x-api-TOKEN\n      keys: [keyA]\n    basicAuth:\n      - { user: alice, passwordHash: aliceHash }\n"
            + "  routes:\n    - { to: [a, b], balance: round_robin }\n", ["a", "b"]);
        var (a, b) = (await Upstream("a"), await Upstream("b"));
        var hash = PasswordHasher.Hash(Password);
        var caddy = await Caddy(spec, new() { ["a"] = a, ["b"] = b }, new() { ["tokenA"] = Token, ["keyA"] = Key, ["aliceHash"] = hash });
        using var client = caddy.CreateClient();
        // Both instances stop: the first requests fail to connect, later ones find no upstream available.
        foreach (var upstream in new[] { a, b })
        {
            await upstream.DisposeAsync();
            Forget(upstream);
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var bearer = await Get(client, "api/tags", bearer: Token);
            using var key = await Get(client, "api/tags", apiKey: ("x-api-token", Key));
            using var basic = await Get(client, "api/tags", basic: ("alice", Password));
            using var wrong = await Get(client, "api/tags", bearer: Token + "-wrong", apiKey: ("X-Api-Token", Key + "-wrong"));
            statuses.AddRange([bearer.StatusCode, key.StatusCode, basic.StatusCode, wrong.StatusCode]);
        }

        await caddy.DisposeAsync();
        var log = caddy.Output;

        statuses.Should().Contain([HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable], "the upstreams are down");
        log.Should().Contain("no upstreams available").And.Contain("\"headers\"", "the test must see Caddy log failed requests with their headers");
        var basicHeader = Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + Password));
        foreach (var secret in new[] { Token, Key, Password, basicHeader, hash, basicHeader[..16] })
        {
            log.Should().NotContain(secret, "no credential may appear in Caddy's log:\n{0}", log);
        }
    }
}
