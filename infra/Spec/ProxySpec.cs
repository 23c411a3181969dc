using HomeLab.Conventions;

namespace HomeLab.Spec;

internal sealed record ProxySpec(
    string Host,
    string? Image,
    string Domain,
    TlsMode Tls,
    string? AcmeEmail,
    int HttpPort,
    int HttpsPort,
    string Bind,
    AuthSpec Auth,
    IReadOnlyList<RouteSpec> Routes,
    SourceMark At)
{
    /// <summary>The proxy's URL as clients use it (<see cref="Endpoints.ProxyUrl"/>).</summary>
    public string Url => UrlFor(Domain);

    /// <summary>The URL of a site this proxy serves under another domain (the chat front end's), with the proxy's scheme and ports.</summary>
    public string UrlFor(string domain) => Endpoints.ProxyUrl(Tls is not TlsMode.Off, domain, HttpPort, HttpsPort);
}
