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
    SourceMark At);
