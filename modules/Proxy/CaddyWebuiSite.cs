using HomeLab.Conventions;
using HomeLab.Spec;

namespace HomeLab.Modules.Proxy;

/// <summary>
/// The chat front end's site in the one Caddyfile: its own domain, the same TLS and bind as the Ollama site, and a
/// single upstream, Open WebUI; nothing on this domain reaches Ollama.
/// </summary>
/// <remarks>
/// Sign-in by the proxy (<see cref="SignInMode.Proxy"/>): Open WebUI trusts whatever its trusted headers say
/// (backend/open_webui/routers/auths.py, signin(): with WEBUI_AUTH_TRUSTED_EMAIL_HEADER set, the e-mail in that header
/// is signed in, and signed up on first sight), so the first thing this site does is delete any such header a client
/// sent, before authentication and before anything else reads them. A request then either passes the stack's basic
/// auth, and the proxy sets the headers from the authenticated user ({http.auth.user.id}), or carries Open WebUI's
/// own session token (Authorization: Bearer, which its browser app sends on every API call, so the browser's cached
/// basic credentials cannot be), and reaches Open WebUI without trusted headers: Open WebUI checks the token's
/// signature (WEBUI_SECRET_KEY; utils/auth.py, get_current_user()), and with no trusted header its sign-in refuses
/// (auths.py, signin(): INVALID_TRUSTED_HEADER), so a token can never make a new session. The proxy's own tokens and
/// API keys (the hooks' credential) open exactly GET /health and never reach Open WebUI themselves. Everything else gets 401.
/// </remarks>
internal static class CaddyWebuiSite
{
    public static void Write(CaddyfileWriter file, ProxySpec proxy, WebuiSpec webui, CaddySite site, string bind)
    {
        var domain = CaddyProxy.Checked(webui.Domain, Names.IsAddress, "webui domain");
        var upstream = CaddyProxy.Checked(site.WebuiUpstream ?? throw new ArgumentException("the stack has a front end but the site names no upstream for it", nameof(site)), CaddyProxy.UpstreamAddress().IsMatch, "webui upstream");
        file.Open(0, proxy.Tls is TlsMode.Off ? $"http://{domain}:{site.HttpPort}" : $"{domain}:{site.HttpsPort}");
        CaddyProxy.WriteBind(file, bind);
        if (proxy.Tls is TlsMode.Internal)
        {
            file.Line(1, "tls internal");
        }

        file.Line(1, CaddyProxy.EncodedSeparatorMatcher);
        file.Open(1, "route");
        // First: no client speaks for a user. Caddy canonicalises header names, so every spelling of these is removed.
        file.Line(2, $"request_header -{WebuiEndpoints.TrustedEmailHeader}");
        file.Line(2, $"request_header -{WebuiEndpoints.TrustedNameHeader}");
        file.Line(2, "respond @encoded_separator 400");
        if (webui.SignIn is SignInMode.Proxy)
        {
            var validKey = CaddyProxy.ValidKey(proxy.Auth);
            if (validKey is not null)
            {
                WriteHooksHealth(file, proxy.Auth, upstream, validKey);
            }

            file.Open(2, "@webui_session");
            file.Line(3, "header_regexp Authorization ^Bearer\\s+\\S");
            if (validKey is not null)
            {
                // The proxy's own tokens are no Open WebUI session: they stop here instead of reaching it.
                file.Line(3, $"not expression \"{validKey}\"");
            }

            file.Close(2);
            file.Open(2, "handle @webui_session");
            WriteReverseProxy(file, upstream, trustedHeaders: null);
            file.Close(2);
            file.Open(2, "handle");
            CaddyProxy.WriteBasicAuth(file, 3, proxy.Auth, matcher: null);
            WriteReverseProxy(file, upstream, WebuiEndpoints.TrustedEmail("{http.auth.user.id}", webui.Domain));
            file.Close(2);
        }
        else
        {
            WriteReverseProxy(file, upstream, trustedHeaders: null, depth: 2);
        }

        file.Close(1);
        file.Close(0);
        file.Blank();
    }

    /// <summary>
    /// The hooks hold no household password, only the proxy's tokens or API keys: with one of those, exactly
    /// GET /health passes, without the credential and without trusted headers, so the hooks and status can see the
    /// front end is up while the tokens open nothing else of it.
    /// </summary>
    private static void WriteHooksHealth(CaddyfileWriter file, AuthSpec auth, string upstream, string validKey)
    {
        file.Open(2, "@hooks_health");
        file.Line(3, "method GET");
        file.Line(3, $"path {WebuiEndpoints.HealthPath}");
        file.Line(3, $"expression \"{validKey}\"");
        file.Close(2);
        file.Open(2, "handle @hooks_health");
        file.Open(3, $"reverse_proxy {upstream}");
        file.Line(4, "header_up -Authorization");
        if (auth.ApiKeys is { } keys)
        {
            file.Line(4, $"header_up -{CaddyProxy.Checked(keys.Header, Names.HeaderName().IsMatch, "apiKeys header")}");
        }

        file.Close(3);
        file.Close(2);
    }

    /// <summary>
    /// Open WebUI's chat runs over Socket.IO (/ws/socket.io); Caddy's reverse_proxy passes a WebSocket upgrade through
    /// as it is, and streams answers write by write, so no extra setting is needed for either.
    /// </summary>
    private static void WriteReverseProxy(CaddyfileWriter file, string upstream, string? trustedHeaders, int depth = 3)
    {
        if (trustedHeaders is null)
        {
            file.Line(depth, $"reverse_proxy {upstream}");
            return;
        }

        file.Open(depth, $"reverse_proxy {upstream}");
        {
            // The basic-auth password is the proxy's; Open WebUI learns who signed in from these headers only.
            file.Line(depth + 1, "header_up -Authorization");
            file.Line(depth + 1, $"header_up {WebuiEndpoints.TrustedEmailHeader} {trustedHeaders}");
            file.Line(depth + 1, $"header_up {WebuiEndpoints.TrustedNameHeader} {{http.auth.user.id}}");
        }

        file.Close(depth);
    }
}
