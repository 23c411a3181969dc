using System.Globalization;
using System.Text.RegularExpressions;

using HomeLab.Conventions;
using HomeLab.Modules.Docker;
using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Spec.Shape;

namespace HomeLab.Modules.Proxy;

/// <summary>
/// The reverse proxy: a Caddyfile rendered from validated names only (every value in it has passed the strict
/// patterns in <see cref="Names"/>, checked again here), with credentials read from the environment so the file
/// holds no secret.
/// </summary>
/// <remarks>
/// Credentials are read with the runtime placeholder <c>{env.NAME}</c>, never with <c>{$NAME}</c>: Caddy splices
/// <c>{$NAME}</c> into the Caddyfile text before tokenising it, so a secret holding a quote, a space, a brace or a
/// newline would rewrite the configuration, and a header matcher would treat a leading or trailing '*' in it as a
/// wildcard. Tokens and API keys are compared for exact equality in one CEL expression that also requires the
/// variable to be non-empty, so an unset or empty variable authorises nobody (not even a request that sends an
/// empty header). Basic-auth hashes are read by Caddy when it starts; an unset one stops Caddy with
/// "username and password are required".
/// </remarks>
internal static partial class CaddyProxy
{
    public const string CaddyfilePath = "/etc/caddy/Caddyfile";

    /// <summary>Where the Caddy image keeps certificates and the internal CA (XDG_DATA_HOME).</summary>
    public const string DataPath = "/data";

    /// <summary>An encoded '/' or '\' would let a path mean one thing to Caddy's matchers and another upstream.</summary>
    internal const string EncodedSeparatorMatcher = "@encoded_separator expression \"{http.request.uri}.matches('^[^?]*%(2[fF]|5[cC])')\"";

    private static readonly string[] AlwaysUnlogged = ["Authorization", "Proxy-Authorization"];

    /// <summary>Caddy 2.8 renamed 'basicauth'; 2.10 warns on every start for the old name.</summary>
    public const string BasicAuthDirective = "basic_auth";

    public static string Render(StackSpec spec, ProxySpec proxy, CaddySite site)
    {
        var instances = spec.Instances.ToDictionary(i => i.Name);
        var domain = Checked(proxy.Domain, Names.IsAddress, "domain");
        var bind = Checked(site.Bind ?? proxy.Bind, Names.IPv4().IsMatch, "bind address");
        var file = new CaddyfileWriter();
        file.Line(0, $"# HomeLab proxy for stack '{Checked(spec.Name, Names.Resource().IsMatch, "stack name")}', generated from its stack file; edit that, not this.");
        file.Line(0, "# Credentials are read from the environment at request time; this file holds no secret.");
        WriteGlobalOptions(file, proxy, site, spec.Webui is not null);
        file.Blank();

        // Only the configured name reaches Ollama: a request for any other host name (e.g. from a DNS-rebinding page) does not.
        file.Open(0, proxy.Tls is TlsMode.Off ? $"http://{domain}:{site.HttpPort}" : $"{domain}:{site.HttpsPort}");
        WriteBind(file, bind);
        if (proxy.Tls is TlsMode.Internal)
        {
            file.Line(1, "tls internal");
        }

        // Paths compare case-sensitively (Caddy's 'path' matcher ignores case): exactly /api/ and /v1/ are Ollama's.
        file.Line(1, "@not_ollama not path_regexp ^/(api|v1)/");
        // An encoded '/' or '\' would let a path mean one thing to Caddy's matchers and another after a prefix is stripped.
        file.Line(1, EncodedSeparatorMatcher);
        var pinned = spec.ProxyPinsInstances
            ? proxy.Routes.SelectMany(r => r.Instances).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(name => Checked(name, Names.Resource().IsMatch, "instance name")).ToList()
            : [];
        foreach (var name in pinned)
        {
            file.Line(1, $"@{PinMatcher(name)} header {HookRouting.InstanceHeader} {name}");
        }

        var replicas = pinned.Where(name => instances[name].Replicas > 1)
            .SelectMany(name => Enumerable.Range(0, instances[name].Replicas).Select(ordinal => (Name: name, Ordinal: ordinal))).ToList();
        foreach (var (name, ordinal) in replicas)
        {
            // Both headers must match (a matcher's header fields are ANDed: caddyhttp matchers.go, MatchHeader).
            file.Open(1, $"@{ReplicaMatcher(name, ordinal)}");
            file.Line(2, $"header {HookRouting.InstanceHeader} {name}");
            file.Line(2, $"header {HookRouting.ReplicaHeader} {ordinal.ToString(CultureInfo.InvariantCulture)}");
            file.Close(1);
        }
        var keyed = KeyedMatcher(proxy.Auth);
        if (keyed is not null)
        {
            file.Line(1, $"@no_valid_key expression \"{keyed}\"");
        }

        // Longest prefix first; prefixes are unique, so the order is total.
        var ordered = proxy.Routes.ToList();
        ordered.Sort((a, b) => a.Prefix.Length != b.Prefix.Length ? b.Prefix.Length - a.Prefix.Length : string.CompareOrdinal(a.Prefix, b.Prefix));
        var prefixes = ordered.ConvertAll(r => Checked(r.Prefix, Names.RoutePrefix().IsMatch, "route prefix"));
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (prefixes[i] != "/")
            {
                // Case-sensitive like the Ollama paths; '.' is the only regex metacharacter a prefix may hold.
                file.Line(1, $"@route_{i} path_regexp ^{prefixes[i].Replace(".", "[.]", StringComparison.Ordinal)}/");
            }
        }

        // A route keeps its directives in the written order: authentication first, then the routes.
        file.Open(1, "route");
        WriteAuth(file, proxy.Auth, keyed is not null);
        file.Line(2, "respond @encoded_separator 400");
        // The post-deploy hooks must reach each instance on its own, also behind a load-balanced route: after the same
        // authentication, a request naming an instance in the pinning header goes to that instance only — and one
        // naming a replica as well goes to that replica's pod (handles are exclusive and tried in order, so the
        // replica ones come first).
        var stripReplica = replicas.Count > 0;
        foreach (var (name, ordinal) in replicas)
        {
            var upstream = site.ReplicaUpstream?.Invoke(instances[name], ordinal)
                ?? throw new InvalidOperationException($"instance '{name}' runs {instances[name].Replicas} replicas, and this proxy's site cannot reach a single one");
            file.Open(2, $"handle @{ReplicaMatcher(name, ordinal)}");
            file.Line(3, "respond @not_ollama 404");
            WriteReverseProxy(file, proxy, BalancePolicy.First, [Checked(upstream, UpstreamAddress().IsMatch, "upstream")], stripReplica);
            file.Close(2);
        }

        foreach (var name in pinned)
        {
            file.Open(2, $"handle @{PinMatcher(name)}");
            file.Line(3, "respond @not_ollama 404");
            WriteReverseProxy(file, proxy, BalancePolicy.First, [Checked(site.Upstream(instances[name]), UpstreamAddress().IsMatch, "upstream")], stripReplica);
            file.Close(2);
        }

        for (var i = 0; i < ordered.Count; i++)
        {
            var route = ordered[i];
            var prefix = prefixes[i];
            file.Open(2, prefix == "/" ? "handle" : $"handle @route_{i}");
            if (prefix != "/")
            {
                file.Line(3, $"uri strip_prefix {prefix}");
            }

            file.Line(3, "respond @not_ollama 404");
            WriteReverseProxy(file, proxy, route.Balance, route.Instances.Select(name => Checked(site.Upstream(instances[name]), UpstreamAddress().IsMatch, "upstream")).ToList(), stripReplica);
            file.Close(2);
        }

        if (!prefixes.Contains("/"))
        {
            file.Line(2, "respond 404");
        }

        file.Close(1);
        file.Close(0);
        file.Blank();
        if (spec.Webui is { } webui)
        {
            CaddyWebuiSite.Write(file, proxy, webui, site, bind);
        }

        if (proxy.Tls is not TlsMode.Off)
        {
            // Plain HTTP for the proxy's own name only moves to HTTPS; Caddy's automatic redirect would send any Host there.
            file.Open(0, $"http://{domain}:{site.HttpPort}");
            WriteBind(file, bind);
            file.Line(1, $"redir https://{domain}{(site.HttpsPort == 443 ? "" : $":{site.HttpsPort}")}{{uri}} 308");
            file.Close(0);
            file.Blank();
            if (spec.Webui is { } chat)
            {
                var chatDomain = Checked(chat.Domain, Names.IsAddress, "webui domain");
                file.Open(0, $"http://{chatDomain}:{site.HttpPort}");
                WriteBind(file, bind);
                file.Line(1, $"redir https://{chatDomain}{(site.HttpsPort == 443 ? "" : $":{site.HttpsPort}")}{{uri}} 308");
                file.Close(0);
                file.Blank();
            }
        }

        // Without this, Caddy answers a request for another host name on the same port with an empty 200, which
        // looks like success to a client that mistyped the address. (On the HTTPS port strict_sni_host does the same.)
        file.Open(0, $"http://:{site.HttpPort}");
        WriteBind(file, bind);
        file.Line(1, $"respond \"this proxy answers only to {domain}\" 421");
        file.Close(0);
        return file.ToString();
    }

    /// <summary>
    /// Headers whose values never reach a log line. Caddy logs a request's headers with every error (such as "no
    /// upstreams available"); its own redaction covers Authorization only in access logs, and the filter matches
    /// header names as Go writes them (canonical form), so the configured API-key header is canonicalised here.
    /// </summary>
    public static IReadOnlyList<string> UnloggedHeaders(AuthSpec auth) =>
        AlwaysUnlogged
            .Concat(auth.ApiKeys is { } keys ? [CanonicalHeader(Checked(keys.Header, Names.HeaderName().IsMatch, "apiKeys header"))] : [])
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>Go's textproto.CanonicalMIMEHeaderKey for a header name of letters, digits and '-': each word capitalised.</summary>
    public static string CanonicalHeader(string name) =>
        string.Join('-', name.Split('-').Select(word => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..].ToLowerInvariant()));

    private static void WriteGlobalOptions(CaddyfileWriter file, ProxySpec proxy, CaddySite site, bool hasWebui)
    {
        file.Open(0, "");
        // Nothing may reconfigure the proxy at run time: the configuration changes only by redeploying this file.
        file.Line(1, "admin off");
        switch (proxy.Tls)
        {
            case TlsMode.Off:
                file.Line(1, "auto_https off");
                break;
            case TlsMode.Internal:
                file.Line(1, $"http_port {site.HttpPort}");
                file.Line(1, "auto_https disable_redirects");
                // The internal CA's root stays in Caddy's storage for clients to fetch; the host's trust store is not Caddy's to change.
                file.Line(1, "skip_install_trust");
                break;
            case TlsMode.Acme:
                // ACME's HTTP challenge is answered on this port before any site's routes.
                file.Line(1, $"http_port {site.HttpPort}");
                file.Line(1, "auto_https disable_redirects");
                if (proxy.AcmeEmail is { } email)
                {
                    file.Line(1, $"email {Checked(email, EmailAddress().IsMatch, "acmeEmail")}");
                }

                break;
        }

        file.Open(1, "servers");
        // No HTTP/3: it needs UDP published as well, and a client told about it (Alt-Svc) would try a closed port.
        file.Line(2, "protocols h1 h2");
        if (proxy.Tls is not TlsMode.Off)
        {
            // A Host that differs from the TLS name gets 421 instead of an empty 200 from a site that does not match.
            file.Line(2, "strict_sni_host on");
        }

        file.Close(1);
        file.Open(1, "log default");
        file.Open(2, "format filter");
        file.Line(3, "wrap json");
        file.Open(3, "fields");
        // Open WebUI keeps its session token in a cookie as well as in Authorization (routers/auths.py, signin()).
        foreach (var header in hasWebui ? [.. UnloggedHeaders(proxy.Auth), "Cookie"] : UnloggedHeaders(proxy.Auth))
        {
            file.Line(4, $"request>headers>{header} delete");
        }

        file.Close(3);
        file.Close(2);
        file.Close(1);
        file.Close(0);
    }

    private static string PinMatcher(string instance) => "instance_" + instance.Replace('-', '_');

    private static string ReplicaMatcher(string instance, int ordinal) => $"{PinMatcher(instance)}_replica_{ordinal.ToString(CultureInfo.InvariantCulture)}";

    internal static void WriteBind(CaddyfileWriter file, string bind)
    {
        if (bind != Endpoints.AllInterfaces)
        {
            file.Line(1, $"bind {bind}");
        }
    }

    /// <summary>
    /// A CEL expression true when the request carries none of the tokens or API keys: each alternative compares the
    /// whole header with a non-empty variable, so no value acts as a pattern and an empty variable matches nothing.
    /// </summary>
    private static string? KeyedMatcher(AuthSpec auth) => ValidKey(auth) is { } valid ? $"!{valid}" : null;

    /// <summary>A CEL expression true when the request carries one of the tokens or API keys (see <see cref="KeyedMatcher"/>); null when the auth has none.</summary>
    internal static string? ValidKey(AuthSpec auth)
    {
        var header = auth.ApiKeys is { } keys ? Checked(keys.Header, Names.HeaderName().IsMatch, "apiKeys header") : null;
        var alternatives = auth.BearerTokenSecrets.Select(k => SameAs("Authorization", "'Bearer ' + ", CredentialVariables.Bearer(Checked(k, Names.SecretKey().IsMatch, "secret key"))))
            .Concat((auth.ApiKeys?.KeySecrets ?? []).Select(k => SameAs(header!, "", CredentialVariables.ApiKey(Checked(k, Names.SecretKey().IsMatch, "secret key")))))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return alternatives.Count == 0 ? null : $"({string.Join(" || ", alternatives)})";

        static string SameAs(string header, string scheme, string variable) =>
            $"({{env.{variable}}} != '' && {{http.request.header.{header}}} == {scheme}{{env.{variable}}})";
    }

    private static void WriteAuth(CaddyfileWriter file, AuthSpec auth, bool hasKeys)
    {
        if (auth.BasicAuth.Count > 0)
        {
            // Caddy answers a failed login with 401 and a Basic challenge; a valid token or key skips the login.
            WriteBasicAuth(file, 2, auth, hasKeys ? "@no_valid_key" : null);
        }
        else if (hasKeys)
        {
            if (auth.BearerTokenSecrets.Count > 0)
            {
                file.Line(2, "header @no_valid_key WWW-Authenticate Bearer");
            }

            file.Line(2, "respond @no_valid_key 401");
        }
    }

    /// <summary>The basic-auth users, their hashes read from the environment when Caddy starts.</summary>
    internal static void WriteBasicAuth(CaddyfileWriter file, int depth, AuthSpec auth, string? matcher)
    {
        file.Open(depth, matcher is null ? BasicAuthDirective : $"{BasicAuthDirective} {matcher}");
        foreach (var user in auth.BasicAuth)
        {
            file.Line(depth + 1, $"{Checked(user.User, Names.BasicAuthUser().IsMatch, "basicAuth user")} {{env.{CredentialVariables.Basic(Checked(user.PasswordHashSecret, Names.SecretKey().IsMatch, "secret key"))}}}");
        }

        file.Close(depth);
    }

    /// <param name="stripReplica">Whether the replica header is routed here at all, so it is dropped before Ollama too.</param>
    private static void WriteReverseProxy(CaddyfileWriter file, ProxySpec proxy, BalancePolicy balance, List<string> upstreams, bool stripReplica)
    {
        file.Open(3, $"reverse_proxy {string.Join(' ', upstreams)}");
        if (upstreams.Count > 1)
        {
            file.Line(4, $"lb_policy {Policy(balance)}");
            // A request that cannot reach one instance (refused connection) tries another, and the one that failed is
            // left out for a while. Only requests that get no answer count, never slow answers or error statuses.
            file.Line(4, $"lb_retries {upstreams.Count - 1}");
            file.Line(4, "fail_duration 30s");
            // Notices a stopped instance before a client does. A single upstream gets no checks: with nothing to
            // fail over to, a missed check could only turn a working instance into 503s.
            file.Line(4, "health_uri /api/version");
            file.Line(4, "health_interval 10s");
            file.Line(4, "health_timeout 5s");
        }

        // Ollama listening on loopback (NixOS) refuses Host names it does not know; give it the address it was dialled on.
        file.Line(4, "header_up Host {upstream_hostport}");
        // Credentials are for the proxy only, and the pinning header is for the proxy's routing only.
        file.Line(4, $"header_up -{HookRouting.InstanceHeader}");
        if (stripReplica)
        {
            file.Line(4, $"header_up -{HookRouting.ReplicaHeader}");
        }

        if (proxy.Auth.BearerTokenSecrets.Count > 0 || proxy.Auth.BasicAuth.Count > 0)
        {
            file.Line(4, "header_up -Authorization");
        }

        if (proxy.Auth.ApiKeys is { } keys)
        {
            file.Line(4, $"header_up -{keys.Header}");
        }

        // No flush_interval and no timeouts: Caddy passes an answer of unknown length (Ollama's NDJSON streams, SSE)
        // on write by write already, and sets no limit on how long an upstream may take, so long generations run to the end.
        file.Close(3);
    }

    // The stack's balance words are Caddy's lb_policy names (modules/caddyhttp/reverseproxy/selectionpolicies.go) by design.
    private static string Policy(BalancePolicy policy) => SpecShape.Balances.Of(policy);

    /// <summary>Refuses to write a value that does not have the shape validation promised; the Caddyfile is never built from anything else.</summary>
    internal static string Checked(string value, Func<string, bool> valid, string what) =>
        valid(value) ? value : throw new ArgumentException($"proxy {what} '{value}' is not safe to write into a Caddyfile", nameof(value));

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}@[A-Za-z0-9.-]{1,253}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailAddress();

    [GeneratedRegex("^[A-Za-z0-9.-]{1,253}:[0-9]{1,5}$", RegexOptions.CultureInvariant)]
    internal static partial Regex UpstreamAddress();
}
