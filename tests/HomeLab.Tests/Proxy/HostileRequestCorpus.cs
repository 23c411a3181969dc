using HomeLab.Spec;

namespace HomeLab.Tests.Proxy;

/// <summary>
/// One hostile (or boundary) request: raw request line and headers, the status the proxy must answer, and the path
/// an upstream may see (null: nothing may reach any upstream). Header values may use {bearer} (a valid token),
/// {basic} (valid basic-auth credentials), {key} (a valid API key) and {host} (the proxy's host:port).
/// </summary>
internal sealed record HostileRequest(string Name, string Target, int Status, string? Reaches, string[] Headers, string Method = "GET", bool PlainHttpPort = false, bool OmitHost = false, string Body = "");

/// <summary>The corpus every example stack's proxy is attacked with; cases that need an auth kind the stack lacks are left out.</summary>
internal static class HostileRequestCorpus
{
    private const string Smuggled = "0\r\n\r\nGET /metrics HTTP/1.1\r\nHost: attacker.example\r\n\r\n";

    public static IReadOnlyList<HostileRequest> For(ProxySpec proxy)
    {
        var bearer = proxy.Auth.BearerTokenSecrets.Count > 0;
        var tls = proxy.Tls is not TlsMode.Off;
        var cases = new List<HostileRequest>
        {
            new("no credentials", "/api/tags", 401, null, []),
            new("valid token", "/api/tags", 200, "/api/tags", ["Authorization: Bearer {bearer}"]),
            new("valid token, OpenAI API", "/v1/models", 200, "/v1/models", ["Authorization: Bearer {bearer}"]),
            new("upper-case API", "/API/tags", 404, null, ["Authorization: Bearer {bearer}"]),
            new("upper-case V1", "/V1/models", 404, null, ["Authorization: Bearer {bearer}"]),
            new("mixed-case Api", "/Api/tags", 404, null, ["Authorization: Bearer {bearer}"]),
            new("bare /api", "/api", 404, null, ["Authorization: Bearer {bearer}"]),
            new("root", "/", 404, null, ["Authorization: Bearer {bearer}"]),
            new("metrics", "/metrics", 404, null, ["Authorization: Bearer {bearer}"]),
            new("api lookalike", "/apix/tags", 404, null, ["Authorization: Bearer {bearer}"]),
            new("dot-dot out of /api", "/api/../metrics", 404, null, ["Authorization: Bearer {bearer}"]),
            new("encoded dot-dot out of /api", "/api/%2e%2e/metrics", 404, null, ["Authorization: Bearer {bearer}"]),
            new("dot-dot out of /v1", "/v1/models/../../admin", 404, null, ["Authorization: Bearer {bearer}"]),
            new("encoded slash", "/api%2ftags", 400, null, ["Authorization: Bearer {bearer}"]),
            new("encoded upper-case slash", "/API%2Ftags", 400, null, ["Authorization: Bearer {bearer}"]),
            new("encoded trailing slash", "/api/tags%2F", 400, null, ["Authorization: Bearer {bearer}"]),
            new("encoded backslash", "/api%5ctags", 400, null, ["Authorization: Bearer {bearer}"]),
            new("encoded slash without credentials", "/api%2ftags", 401, null, []),
            new("encoded slash in the query only", "/api/tags?next=%2fadmin", 200, "/api/tags", ["Authorization: Bearer {bearer}"]),
            new("encoded letter", "/%61pi/tags", 200, "/api/tags", ["Authorization: Bearer {bearer}"]),
            new("token in the query", "/api/tags?token={bearer}", 401, null, []),
            new("lower-case scheme", "/api/tags", 401, null, ["Authorization: bearer {bearer}"]),
            new("two spaces after scheme", "/api/tags", 401, null, ["Authorization: Bearer  {bearer}"]),
            new("token with a suffix", "/api/tags", 401, null, ["Authorization: Bearer {bearer}x"]),
            new("token without scheme", "/api/tags", 401, null, ["Authorization: {bearer}"]),
            new("empty bearer", "/api/tags", 401, null, ["Authorization: Bearer "]),
            new("empty authorization", "/api/tags", 401, null, ["Authorization:"]),
            new("wrong then right authorization", "/api/tags", 401, null, ["Authorization: Bearer nope", "Authorization: Bearer {bearer}"]),
            new("right then wrong authorization", "/api/tags", 401, null, ["Authorization: Bearer {bearer}", "Authorization: Bearer nope"]),
            new("token as a basic password", "/api/tags", 401, null, ["Authorization: Basic {tokenAsBasic}"]),
            new("token in another header", "/api/tags", 401, null, ["X-Api-Key: {bearer}"]),
            new("pinning header without credentials", "/api/tags", 401, null, ["X-HomeLab-Instance: {instance}"]),
            new("pinning header with a token", "/api/tags", 200, "/api/tags", ["Authorization: Bearer {bearer}", "X-HomeLab-Instance: {instance}"]),
            new("pinning header naming no instance", "/api/tags", 200, "/api/tags", ["Authorization: Bearer {bearer}", "X-HomeLab-Instance: nobody"]),
            new("pinning header outside the API", "/metrics", 404, null, ["Authorization: Bearer {bearer}", "X-HomeLab-Instance: {instance}"]),
            new("other Host", "/api/tags", 421, null, ["Host: attacker.example", "Authorization: Bearer {bearer}"], OmitHost: true),
            new("other Host on the same domain", "/api/tags", 421, null, ["Host: evil.{domain}", "Authorization: Bearer {bearer}"], OmitHost: true),
            new("absolute-form target for another host", "http://attacker.example/api/tags", 421, null, ["Authorization: Bearer {bearer}"]),
            new("content-length with chunked, no credentials", "/api/tags", 401, null, ["Content-Length: 4", "Transfer-Encoding: chunked"], "POST", Body: Smuggled),
            // Caddy frames by Transfer-Encoding (RFC 9112 6.3) and forwards one request: the upstream answers it (the
            // stand-in has no POST /api/tags, hence 405), and the request hidden in the body never reaches it.
            new("content-length with chunked and a hidden request", "/api/tags", 405, "/api/tags", ["Authorization: Bearer {bearer}", "Content-Length: 4", "Transfer-Encoding: chunked"], "POST", Body: Smuggled),
            new("two content-lengths", "/api/tags", 400, null, ["Authorization: Bearer {bearer}", "Content-Length: 4", "Content-Length: 5"], "POST"),
            new("space in a header name", "/api/tags", 400, null, ["Authorization: Bearer {bearer}", "X Bad: 1"]),
            new("no Host header", "/api/tags", 400, null, ["Authorization: Bearer {bearer}"], OmitHost: true),
        };
        if (!bearer)
        {
            cases.RemoveAll(c => c.Headers.Any(h => h.Contains("{bearer}", StringComparison.Ordinal)));
        }

        if (proxy.Auth.BasicAuth.Count > 0)
        {
            cases.Add(new("valid basic login", "/api/tags", 200, "/api/tags", ["Authorization: Basic {basic}"]));
            cases.Add(new("basic login, wrong password", "/api/tags", 401, null, ["Authorization: Basic {wrongBasic}"]));
            cases.Add(new("basic login, user in other case", "/api/tags", 401, null, ["Authorization: Basic {upperUserBasic}"]));
            cases.Add(new("basic login, upper-case path", "/API/tags", 404, null, ["Authorization: Basic {basic}"]));
        }

        if (tls)
        {
            cases.Add(new("plain HTTP to the proxy's name", "/api/tags", 308, null, [], PlainHttpPort: true));
            cases.Add(new("plain HTTP to another name", "/api/tags", 421, null, ["Host: attacker.example"], PlainHttpPort: true, OmitHost: true));
            cases.Add(new("plain HTTP, no Host", "/api/tags", 400, null, [], PlainHttpPort: true, OmitHost: true));
        }

        foreach (var route in proxy.Routes.Where(r => r.Prefix != "/"))
        {
            var p = route.Prefix;
            cases.Add(new($"prefix {p}", $"{p}/api/tags", 200, "/api/tags", ["Authorization: Bearer {bearer}"]));
            cases.Add(new($"prefix {p} with an encoded slash", $"{p}%2fapi/tags", 400, null, ["Authorization: Bearer {bearer}"]));
            cases.Add(new($"prefix {p} upper-case", $"{p.ToUpperInvariant()}/api/tags", 404, null, ["Authorization: Bearer {bearer}"]));
            cases.Add(new($"prefix {p}, upper-case API", $"{p}/API/tags", 404, null, ["Authorization: Bearer {bearer}"]));
            cases.Add(new($"prefix {p} twice", $"{p}{p}/api/tags", 404, null, ["Authorization: Bearer {bearer}"]));
            cases.Add(new($"prefix {p}, dot-dot out", $"{p}/api/../../metrics", 404, null, ["Authorization: Bearer {bearer}"]));
        }

        return cases;
    }
}
