using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace HomeLab.Ollama;

/// <summary>The HTTP handler every connection to Ollama shares: pooled, decompressing, and trusting what the caller says.</summary>
internal static class OllamaHttp
{
    /// <summary>
    /// <paramref name="trustedRoot"/> adds one root certificate to trust (a private CA such as a proxy's internal one).
    /// <paramref name="connect"/> replaces name resolution and dialing only (the URL's host still names the server in
    /// the Host header and TLS), e.g. to reach a proxy on a loopback port under its real domain.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2? trustedRoot = null, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            ConnectCallback = connect,
        };
        if (trustedRoot is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.Add(trustedRoot);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return handler;
    }
}
