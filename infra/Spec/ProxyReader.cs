using HomeLab.Spec.Shape;
using HomeLab.Spec.Yaml;

namespace HomeLab.Spec;

/// <summary>Reads 'proxy:': where Caddy runs, its name, TLS, ports, credentials and routes.</summary>
internal static class ProxyReader
{
    public static ProxySpec? Read(YamlValue node, NodeReader r)
    {
        var map = r.Map(node, "proxy", SpecShape.Proxy.Keys);
        if (map is null)
        {
            return null;
        }

        var host = r.Text(map["host"], "proxy host");
        if (host is null && map["host"] is null)
        {
            r.Error(map.At, "proxy has no 'host'", "add 'host:' naming the host the proxy runs on");
        }

        var image = r.Text(map["image"], "proxy image");
        if (image is not null)
        {
            ImageReference.Check(image, map["image"]!, "proxy", r);
        }

        var domain = r.Text(map["domain"], "proxy domain") ?? SpecShape.Proxy.Default<string>("domain");
        if (!Names.IsAddress(domain))
        {
            r.Error(map["domain"]!.At, $"proxy domain '{domain}' is not a host name", "write a DNS name such as ollama.home.arpa");
        }

        var tls = r.Enum(map["tls"], "proxy tls", SpecShape.TlsModes) ?? SpecShape.TlsModes.Value(SpecShape.Proxy.Default<string>("tls"));
        var email = r.Text(map["acmeEmail"], "proxy acmeEmail");
        if (email is not null && (!email.Contains('@', StringComparison.Ordinal) || !Names.IsAddress(email[(email.IndexOf('@', StringComparison.Ordinal) + 1)..]) || !Names.BasicAuthUser().IsMatch(email[..email.IndexOf('@', StringComparison.Ordinal)])))
        {
            r.Error(map["acmeEmail"]!.At, $"proxy acmeEmail '{email}' is not an e-mail address", "write an address such as ops@example.org");
        }

        if (tls is TlsMode.Acme && (domain == "localhost" || !domain.Contains('.', StringComparison.Ordinal)))
        {
            r.Error(map.KeyAt("tls"), $"proxy tls is 'acme' but domain '{domain}' is not a public name", "use 'tls: internal' on a LAN, or set 'domain:' to a public DNS name");
        }

        var ports = r.Map(map["ports"], "proxy ports", SpecShape.Ports.Keys);
        var http = r.Int(ports, SpecShape.Ports, "http", "proxy http port") ?? SpecShape.Ports.Default<int>("http");
        var https = r.Int(ports, SpecShape.Ports, "https", "proxy https port") ?? SpecShape.Ports.Default<int>("https");
        if (http == https)
        {
            r.Error(ports?.KeyAt("https") ?? map.At, $"proxy http and https ports are both {http}", "give the two listeners different ports");
        }

        var bind = r.Text(map["bind"], "proxy bind") ?? SpecShape.Proxy.Default<string>("bind");
        if (!Names.IPv4().IsMatch(bind))
        {
            r.Error(map["bind"]!.At, $"proxy bind '{bind}' is not an IPv4 address", "write 0.0.0.0 (all interfaces), 127.0.0.1 or a LAN address");
        }

        var routes = r.List(map["routes"], "proxy routes").Select((route, i) => ReadRoute(route, i, r)).OfType<RouteSpec>().ToList();
        if (routes.Count == 0 && map["routes"] is null)
        {
            r.Error(map.At, "proxy has no routes", "add 'routes:' with at least one entry such as '- to: [ollama]'");
        }

        return new ProxySpec(host ?? "", image, domain, tls, email, http, https, bind, ReadAuth(map["auth"], r), routes, map.At);
    }

    private static AuthSpec ReadAuth(YamlValue? node, NodeReader r)
    {
        var map = r.Map(node, "proxy auth", SpecShape.Auth.Keys);
        if (map is null)
        {
            return AuthSpec.None;
        }

        var tokens = r.List(map["bearerTokens"], "proxy bearerTokens").Select(t => SecretKeys.Read(t, "bearer token", r)).OfType<string>().ToList();
        ApiKeyAuth? apiKeys = null;
        if (r.Map(map["apiKeys"], "proxy apiKeys", SpecShape.ApiKeys.Keys) is { } keysMap)
        {
            var header = r.Text(keysMap["header"], "apiKeys header") ?? SpecShape.ApiKeys.Default<string>("header");
            if (!Names.HeaderName().IsMatch(header) || header.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                r.Error(keysMap["header"]!.At, $"apiKeys header '{header}' is not a usable header name", "write a header name such as X-API-Key (letters, digits, '-'; not Authorization, which bearer tokens use)");
            }

            var keys = r.List(keysMap["keys"], "apiKeys keys").Select(k => SecretKeys.Read(k, "API key", r)).OfType<string>().ToList();
            if (keys.Count == 0)
            {
                r.Error(keysMap.At, "apiKeys lists no keys", "add 'keys:' with the names of secret config keys holding the API keys");
            }

            apiKeys = new ApiKeyAuth(header, keys);
        }

        var users = new List<BasicAuthUser>();
        foreach (var userNode in r.List(map["basicAuth"], "proxy basicAuth"))
        {
            var userMap = r.Map(userNode, "basicAuth user", SpecShape.BasicAuthUser.Keys);
            var user = r.Text(userMap?["user"], "basicAuth user");
            var hash = SecretKeys.Read(userMap?["passwordHash"], "basicAuth passwordHash", r);
            if (userMap is not null && (user is null || hash is null))
            {
                if (userMap["user"] is null || userMap["passwordHash"] is null)
                {
                    r.Error(userMap.At, "basicAuth entry needs both 'user' and 'passwordHash'", "write '- { user: alice, passwordHash: aliceHash }' where aliceHash names a secret config key holding a bcrypt hash");
                }

                continue;
            }

            if (user is null || hash is null)
            {
                continue;
            }

            if (!Names.BasicAuthUser().IsMatch(user))
            {
                r.Error(userMap!["user"]!.At, $"basicAuth user '{user}' is not a valid user name", "use letters, digits, '.', '_', '@' and '-'");
            }
            else if (users.Any(u => u.User == user))
            {
                r.Error(userMap!["user"]!.At, $"basicAuth user '{user}' is listed twice", "keep one entry per user");
            }
            else
            {
                users.Add(new BasicAuthUser(user, hash));
            }
        }

        return new AuthSpec(tokens, apiKeys, users);
    }

    private static RouteSpec? ReadRoute(YamlValue node, int index, NodeReader r)
    {
        var what = $"proxy route #{index + 1}";
        var map = r.Map(node, what, SpecShape.Route.Keys);
        if (map is null)
        {
            return null;
        }

        var prefix = r.Text(map["prefix"], $"{what} prefix") ?? SpecShape.Route.Default<string>("prefix");
        if (!Names.RoutePrefix().IsMatch(prefix))
        {
            r.Error(map["prefix"]!.At, $"{what} prefix '{prefix}' is not a simple path prefix", "write '/' or one segment such as /coder (lower-case letters, digits, '.', '_', '-')");
        }

        var targets = map["to"] is YamlText ? [map["to"]!] : r.List(map["to"], $"{what} to");
        var instances = targets.Select(t => r.Text(t, $"{what} target")).OfType<string>().ToList();
        if (instances.Count == 0 && (map["to"] is null || targets.Count == 0))
        {
            r.Error(map.At, $"{what} sends traffic nowhere", "add 'to: [instance]' naming one or more instances");
        }

        var balance = r.Enum(map["balance"], $"{what} balance", SpecShape.Balances)
            ?? SpecShape.Balances.Value(SpecShape.Route.Default<string>("balance"));
        return new RouteSpec(prefix, instances, balance, map.At);
    }
}
