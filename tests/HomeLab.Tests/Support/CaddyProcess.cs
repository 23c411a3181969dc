using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

using HomeLab.Conventions;
using HomeLab.Modules;
using HomeLab.Modules.Proxy;
using HomeLab.Spec;

namespace HomeLab.Tests.Support;

/// <summary>
/// A real Caddy running the Caddyfile that <see cref="CaddyProxy.Render"/> writes for a stack, on free loopback
/// ports, with HOME and the XDG folders (certificates, internal CA) in a temporary directory so nothing on the
/// machine is touched. Credentials are given by secret config key, as Pulumi would feed them; a key left out
/// (or mapped to null) leaves its variable unset. Disposing kills Caddy and removes the directory.
/// </summary>
internal sealed class CaddyProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private const int StartAttempts = 3;

    private readonly ServedProcess process;
    private readonly string folder;
    private X509Certificate2? root;
    private X509Certificate2? intermediate;

    private CaddyProcess(ServedProcess process, string folder, ProxySpec proxy, int httpPort, int httpsPort, string caddyfile)
    {
        this.process = process;
        this.folder = folder;
        Proxy = proxy;
        HttpPort = httpPort;
        HttpsPort = httpsPort;
        Caddyfile = caddyfile;
    }

    public ProxySpec Proxy { get; }

    public int HttpPort { get; }

    public int HttpsPort { get; }

    public string Caddyfile { get; }

    /// <summary>The chat front end's domain when the stack has one; <see cref="ConnectAsync"/> resolves it to this Caddy too.</summary>
    public string? WebuiDomain { get; private init; }

    /// <summary>The proxy's URL as clients use it (the stack's domain; <see cref="CreateClient"/> connects it to loopback).</summary>
    public Uri BaseAddress => Proxy.Tls is TlsMode.Off
        ? new Uri($"http://{Proxy.Domain}:{HttpPort}/")
        : new Uri($"https://{Proxy.Domain}:{HttpsPort}/");

    /// <summary>Everything Caddy printed so far, for failure messages.</summary>
    public string Output => process.Output;

    public bool HasExited => process.HasExited;

    /// <summary>Where a stack's front end "runs" in tests of the Ollama site alone: a loopback port nothing listens on.</summary>
    private const string ClosedWebuiUpstream = "127.0.0.1:9";

    /// <summary>Renders the stack's Caddyfile for loopback, starts Caddy and waits until it serves (TLS included).</summary>
    /// <param name="replicaUpstream">Where one replica of an instance that runs several is (a Kubernetes pod's name in the program).</param>
    public static async Task<CaddyProcess> StartAsync(StackSpec spec, Func<InstanceSpec, string> upstream, IReadOnlyDictionary<string, string?> secrets, string? webuiUpstream = null, Func<InstanceSpec, int, string>? replicaUpstream = null, CancellationToken cancellation = default)
    {
        var proxy = spec.Proxy ?? throw new ArgumentException($"stack '{spec.Name}' has no proxy", nameof(spec));
        if (proxy.Tls is TlsMode.Acme)
        {
            throw new NotSupportedException("an ACME proxy needs a public CA; tests only validate its Caddyfile");
        }

        var binary = ExternalTool.Require("caddy");
        for (var attempt = 1; ; attempt++)
        {
            var (httpPort, httpsPort) = (FreePort.OnLoopback(), FreePort.OnLoopback());
            var caddyfile = CaddyProxy.Render(spec, proxy, new CaddySite(httpPort, httpsPort, upstream, "127.0.0.1", webuiUpstream ?? (spec.Webui is null ? null : ClosedWebuiUpstream)) { ReplicaUpstream = replicaUpstream });
            var folder = Directory.CreateTempSubdirectory("homelab-caddy-").FullName;
            var path = Path.Combine(folder, "Caddyfile");
            await File.WriteAllTextAsync(path, InstalledCaddy.Adapt(caddyfile), cancellation);
            var process = ProcessRunner.Serve(binary, ["run", "--adapter", "caddyfile", "--config", path], folder, Variables(folder, CredentialVariables(proxy.Auth, secrets)), StopTimeout);
            var caddy = new CaddyProcess(process, folder, proxy, httpPort, httpsPort, caddyfile) { WebuiDomain = spec.Webui?.Domain };
            try
            {
                await caddy.WaitUntilServingAsync(cancellation);
                return caddy;
            }
            catch (CaddyStartException e) when (attempt < StartAttempts && e.Message.Contains("address already in use", StringComparison.Ordinal))
            {
                // Another process took a port between choosing and binding it; choose again.
                await caddy.DisposeAsync();
            }
            catch
            {
                await caddy.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>A client that sends requests for the stack's domain to this Caddy on loopback, trusts only its internal CA, and does not follow redirects.</summary>
    public HttpClient CreateClient(string? domain = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = ConnectAsync,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors);
        var baseAddress = domain is null ? BaseAddress : new UriBuilder(BaseAddress) { Host = domain }.Uri;
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>
    /// The root certificate (PEM) of Caddy's internal CA, as an operator copies it out of Caddy's storage to trust
    /// the proxy; exists once Caddy serves (see <see cref="StartAsync"/>).
    /// </summary>
    public string RootCertificatePath => Proxy.Tls is TlsMode.Internal
        ? Path.Combine(InternalCaFolder, "root.crt")
        : throw new InvalidOperationException($"the proxy for '{Proxy.Domain}' has no internal CA (tls: {Proxy.Tls})");

    /// <summary>
    /// Dials this Caddy on loopback for a connection to the stack's domain, the way DNS would on the operator's
    /// network: the request keeps the domain in its Host header and TLS name. Any other host name is refused, so a
    /// client that strays from the proxy fails instead of being quietly redirected here.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellation)
    {
        if (!string.Equals(context.DnsEndPoint.Host, Proxy.Domain, StringComparison.OrdinalIgnoreCase) && !string.Equals(context.DnsEndPoint.Host, WebuiDomain, StringComparison.OrdinalIgnoreCase))
        {
            throw new HttpRequestException($"this test resolves only '{Proxy.Domain}' (the proxy's domain), not '{context.DnsEndPoint.Host}'");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellation);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends raw request bytes over plain HTTP and returns the status code: for headers HttpClient would not send as written (an empty value, a bare scheme).</summary>
    public async Task<int> SendRawAsync(string path, IEnumerable<string> headerLines, string? host = null, CancellationToken cancellation = default)
    {
        if (Proxy.Tls is not TlsMode.Off)
        {
            throw new InvalidOperationException("raw requests are sent over plain HTTP only");
        }

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, HttpPort, cancellation);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var request = new StringBuilder()
            .Append("GET ").Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(host ?? Proxy.Domain).Append(':').Append(HttpPort).Append("\r\n")
            .Append("Connection: close\r\n");
        foreach (var line in headerLines)
        {
            request.Append(line).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()), cancellation);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync(cancellation) ?? throw new IOException("Caddy closed the connection without answering");
        return int.Parse(status.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <c>caddy validate</c> on <paramref name="caddyfile"/> with exactly the given credential variables set.</summary>
    public static async Task<ProcessResult> ValidateAsync(string caddyfile, IReadOnlyDictionary<string, string?> variables)
    {
        var folder = Directory.CreateTempSubdirectory("homelab-caddy-validate-").FullName;
        try
        {
            var path = Path.Combine(folder, "Caddyfile");
            await File.WriteAllTextAsync(path, InstalledCaddy.Adapt(caddyfile));
            return await RunAsync(["validate", "--adapter", "caddyfile", "--config", path], folder, variables);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A bcrypt hash made by Caddy itself (<c>caddy hash-password</c>), as an operator makes one.</summary>
    public static async Task<string> HashPasswordAsync(string plaintext)
    {
        var folder = Directory.CreateTempSubdirectory("homelab-caddy-hash-").FullName;
        try
        {
            var run = await RunAsync(["hash-password", "--plaintext", plaintext], folder, new Dictionary<string, string?>());
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"caddy hash-password failed ({run.ExitCode}): {run.Stderr}");
            }

            return run.Stdout.Trim();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The variables Caddy reads credentials from, set from <paramref name="secrets"/> (by secret config key).</summary>
    public static IReadOnlyDictionary<string, string?> CredentialVariables(AuthSpec auth, IReadOnlyDictionary<string, string?> secrets) =>
        auth.Credentials().ToDictionary(c => c.Variable, c => secrets.GetValueOrDefault(c.SecretKey), StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await process.DisposeAsync();
        }
        finally
        {
            root?.Dispose();
            intermediate?.Dispose();
            DeleteQuietly(folder);
        }
    }

    private async Task WaitUntilServingAsync(CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellation);
                throw new CaddyStartException($"caddy exited with code {process.ExitCode} before serving:\n{Output}\nCaddyfile:\n{Caddyfile}");
            }

            if (await ServesAsync(cancellation))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new CaddyStartException($"caddy did not serve on 127.0.0.1:{HttpPort}/{HttpsPort} within {StartTimeout.TotalSeconds:0}s:\n{Output}");
            }

            await Task.Delay(50, cancellation);
        }
    }

    /// <summary>Plain HTTP: the port accepts connections. Internal TLS: a handshake for the domain succeeds against the internal CA, which Caddy creates and uses asynchronously after it starts listening.</summary>
    private async Task<bool> ServesAsync(CancellationToken cancellation)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, Proxy.Tls is TlsMode.Off ? HttpPort : HttpsPort, cancellation);
            if (Proxy.Tls is TlsMode.Off)
            {
                return true;
            }

            if (!LoadInternalCa())
            {
                return false;
            }

            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false, (_, certificate, _, errors) => IsTrusted(certificate, errors));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = Proxy.Domain }, cancellation);
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    /// <summary>Where Caddy keeps its internal CA under XDG_DATA_HOME.</summary>
    private string InternalCaFolder => Path.Combine(folder, "data", "caddy", "pki", "authorities", "local");

    private bool LoadInternalCa()
    {
        if (root is not null)
        {
            return true;
        }

        var rootPath = Path.Combine(InternalCaFolder, "root.crt");
        var intermediatePath = Path.Combine(InternalCaFolder, "intermediate.crt");
        if (!File.Exists(rootPath) || !File.Exists(intermediatePath))
        {
            return false;
        }

        intermediate = X509Certificate2.CreateFromPem(File.ReadAllText(intermediatePath));
        root = X509Certificate2.CreateFromPem(File.ReadAllText(rootPath));
        return true;
    }

    /// <summary>Trusts a server certificate only if it names the host and chains to this Caddy's internal root.</summary>
    public bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || root is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.Add(intermediate!);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    /// <summary>A one-shot caddy command, with the same home, storage and credential variables as the server.</summary>
    private static Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, string folder, IReadOnlyDictionary<string, string?> variables) =>
        Task.Run(() => ProcessRunner.Run(ExternalTool.Require("caddy"), arguments, folder, Variables(folder, variables), CommandTimeout));

    /// <summary>Caddy with its home and storage in <paramref name="folder"/>: no inherited HOMELAB_ variable, home and XDG folders in <paramref name="folder"/>, then <paramref name="variables"/> (null unsets).</summary>
    private static Dictionary<string, string?> Variables(string folder, IReadOnlyDictionary<string, string?> variables)
    {
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("HOMELAB_", StringComparison.Ordinal))
            .ToDictionary(k => k, string? (_) => null, StringComparer.Ordinal);
        environment["HOME"] = Path.Combine(folder, "home");
        environment["XDG_DATA_HOME"] = Path.Combine(folder, "data");
        environment["XDG_CONFIG_HOME"] = Path.Combine(folder, "config");
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return environment;
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private sealed class CaddyStartException(string message) : Exception(message);
}
