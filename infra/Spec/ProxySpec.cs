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
    public string Url => Endpoints.ProxyUrl(Tls is not TlsMode.Off, Domain, HttpPort, HttpsPort);
}
