using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

using HomeLab.Conventions;
using HomeLab.Modules;
using HomeLab.Modules.Proxy;
using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Proxy;

/// <summary>
/// The hostile-request corpus through real Caddy for every example stack (and a stack with prefix routes): each
/// request gets its status, and an upstream sees only what it should, without credentials or the pinning header.
/// </summary>
public sealed class HostileRequestTests : CaddyTests
{
    private const string Password = "pw-for-the-corpus";

    public static TheoryData<string> Examples() => new(Repo.ExampleStacks());

    [Fact]
    public void The_corpus_holds_at_least_sixty_requests_per_run_over_the_examples()
    {
        var counts = Repo.ExampleStacks().Select(s => HostileRequestCorpus.For(Stacks.Load(s).Proxy!).Count).ToList();

        counts.Should().OnlyContain(c => c >= 30);
        counts.Sum().Should().BeGreaterThanOrEqualTo(60);
    }

    [ToolTheory("caddy")]
    [MemberData(nameof(Examples))]
    public async Task Every_hostile_request_to_an_example_stack_gets_its_status_and_reaches_nothing_unwanted(string stack) =>
        await RunCorpus(Stacks.Load(stack));

    [ToolFact("caddy")]
    public async Task Every_hostile_request_to_prefix_routes_gets_its_status_and_reaches_nothing_unwanted() =>
        await RunCorpus(ProxyStacks.Variant("internal", "all", "several"));

    private async Task RunCorpus(StackSpec spec)
    {
        var proxy = spec.Proxy!;
        var upstreams = new Dictionary<string, RecordingUpstream>();
        foreach (var instance in spec.Instances)
        {
            upstreams[instance.Name] = await Upstream(instance.Name);
        }

        var hash = PasswordHasher.Hash(Password);
        var secrets = proxy.Auth.Credentials().ToDictionary(c => c.SecretKey, c => (string?)(c.Variable.StartsWith("HOMELAB_BASIC_", StringComparison.Ordinal) ? hash : "s3cret-" + c.SecretKey));
        var caddy = await Caddy(spec, upstreams, secrets);
        var user = proxy.Auth.BasicAuth.Count > 0 ? proxy.Auth.BasicAuth[0].User : "alice";
        var values = new Dictionary<string, string>
        {
            ["{bearer}"] = proxy.Auth.BearerTokenSecrets.Count > 0 ? "s3cret-" + proxy.Auth.BearerTokenSecrets[0] : "",
            ["{basic}"] = Basic(user, Password),
            ["{wrongBasic}"] = Basic(user, Password + "x"),
            ["{upperUserBasic}"] = Basic(user.ToUpperInvariant(), Password),
            ["{tokenAsBasic}"] = Basic(user, proxy.Auth.BearerTokenSecrets.Count > 0 ? "s3cret-" + proxy.Auth.BearerTokenSecrets[0] : ""),
            ["{instance}"] = spec.Instances[0].Name,
            ["{domain}"] = proxy.Domain,
        };
        var unwanted = new[] { "Authorization", HookRouting.InstanceHeader }.Concat(proxy.Auth.ApiKeys is { } keys ? [keys.Header] : []).ToList();
        var failures = new List<string>();
        foreach (var request in HostileRequestCorpus.For(proxy))
        {
            foreach (var upstream in upstreams.Values)
            {
                upstream.Requests.Clear();
            }

            var status = await SendAsync(caddy, request, values);
            // Caddy's active health checks of a balanced route (GET /api/version, every 10 s) may land at any time.
            var seen = upstreams.Values.SelectMany(u => u.Requests).Where(r => !(r.Method == "GET" && r.Path == "/api/version")).ToList();
            var expected = request.Reaches is null ? "nothing" : request.Reaches;
            var reached = seen.Count == 0 ? "nothing" : string.Join(", ", seen.Select(r => r.Path));
            if (status != request.Status || reached != expected)
            {
                failures.Add($"{request.Name}: {request.Method} {request.Target} got {status} reaching {reached}; expected {request.Status} reaching {expected}");
            }

            foreach (var leaked in seen.SelectMany(r => r.HeaderNames).Where(h => unwanted.Contains(h, StringComparer.OrdinalIgnoreCase)))
            {
                failures.Add($"{request.Name}: the upstream received the {leaked} header");
            }
        }

        failures.Should().BeEmpty($"stack '{spec.Name}':\n{string.Join('\n', failures)}\nCaddyfile:\n{caddy.Caddyfile}");
    }

    private static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    /// <summary>
    /// Sends the request bytes exactly as written (HttpClient would normalise paths and refuse malformed headers),
    /// over TLS with the stack's name as SNI (trusting only this Caddy's internal CA) where the proxy uses TLS, and
    /// returns the answer's status code.
    /// </summary>
    private static async Task<int> SendAsync(CaddyProcess caddy, HostileRequest request, IReadOnlyDictionary<string, string> values)
    {
        var tls = caddy.Proxy.Tls is not TlsMode.Off && !request.PlainHttpPort;
        var port = tls ? caddy.HttpsPort : caddy.HttpPort;
        var text = new StringBuilder().Append(request.Method).Append(' ').Append(Fill(request.Target, values)).Append(" HTTP/1.1\r\n");
        if (!request.OmitHost)
        {
            text.Append("Host: ").Append(caddy.Proxy.Domain).Append(':').Append(port.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        foreach (var header in request.Headers)
        {
            text.Append(Fill(header, values)).Append("\r\n");
        }

        text.Append("Connection: close\r\n\r\n").Append(request.Body);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (tls)
        {
            var secure = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, _, errors) => caddy.IsTrusted(certificate, errors));
            await secure.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = caddy.Proxy.Domain, ApplicationProtocols = [SslApplicationProtocol.Http11] });
            stream = secure;
        }

        await using (stream)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()), timeout.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var status = await reader.ReadLineAsync(timeout.Token) ?? throw new IOException($"{request.Name}: Caddy closed the connection without answering");
            return int.Parse(status.Split(' ')[1], CultureInfo.InvariantCulture);
        }
    }

    private static string Fill(string text, IReadOnlyDictionary<string, string> values) =>
        values.Aggregate(text, (filled, value) => filled.Replace(value.Key, value.Value, StringComparison.Ordinal));
}
