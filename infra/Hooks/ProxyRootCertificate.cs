using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using HomeLab.Conventions;
using HomeLab.Spec;
using HomeLab.Tools;
using HomeLab.Workspace;

namespace HomeLab.Hooks;

/// <summary>
/// The root of the proxy's internal CA (<c>tls: internal</c>), which Caddy creates on its first start, read over the
/// channel the deploy itself uses — the Docker engine's connection or SSH with the agent — so the hooks can trust the
/// proxy on the very first deploy without the operator copying the file first.
/// </summary>
internal static class ProxyRootCertificate
{
    public const string DockerPath = "/data/caddy/pki/authorities/local/root.crt";
    public const string NixosPath = "/var/lib/caddy/.local/share/caddy/pki/authorities/local/root.crt";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The command that prints the root certificate, or null when the proxy does not use the internal CA.</summary>
    public static ToolCall? ReadCommand(StackSpec spec, string workingDirectory) => spec.Proxy is { Tls: TlsMode.Internal } proxy
        ? spec.Host(proxy.Host) switch
        {
            DockerHostSpec docker => new ToolCall("docker", workingDirectory,
                [.. docker.Ssh is { } ssh ? ["-H", ssh.DockerHost] : Array.Empty<string>(), "exec", ResourceNames.ProxyContainer(spec.Name), "cat", DockerPath]),
            // Caddy's storage belongs to its own user; BatchMode makes a key only in Pulumi config fail at once.
            NixosHostSpec nixos => new ToolCall("ssh", workingDirectory,
                [.. SshOptions.WithPort(nixos.Ssh.Port), $"{nixos.Ssh.User}@{nixos.Address}", nixos.Sudo ? $"sudo -n cat {NixosPath}" : $"cat {NixosPath}"]),
            // The proxy's Deployment in the stack's namespace, through the kubeconfig file the kubernetes provider reads.
            KubernetesHostSpec cluster => new ToolCall("kubectl", workingDirectory,
                [.. cluster.Kubeconfig is { } kubeconfig ? ["--kubeconfig", KubeconfigFile.Stated(kubeconfig, workingDirectory)] : Array.Empty<string>(),
                 .. cluster.Context is { } context ? ["--context", context] : Array.Empty<string>(),
                 "--namespace", KubernetesNames.Namespace(spec.Name, cluster.Namespace), "exec", $"deployment/{KubernetesNames.Proxy}", "--", "cat", DockerPath]),
            _ => null,
        }
        : null;

    /// <summary>
    /// Reads the root certificate, or explains on <paramref name="log"/> why it could not and returns null. A proxy
    /// that has only just started may not have created its CA yet, so a failed read is tried again a few times.
    /// </summary>
    public static X509Certificate2? Read(ToolCall command, IToolRunner tools, TextWriter log, int attempts = 10, TimeSpan? pause = null)
    {
        ToolResult result;
        var attempt = 0;
        try
        {
            while (!(result = tools.Capture(command, Patience)).Succeeded && ++attempt < attempts)
            {
                Thread.Sleep(pause ?? TimeSpan.FromSeconds(3));
            }
        }
        catch (ToolMissingException e)
        {
            log.WriteLine($"hooks: cannot read the proxy's internal CA: {e.Message}; set {InstanceAccess.CaCertificateVariable} to its root certificate");
            return null;
        }

        if (!result.Succeeded)
        {
            var why = result.Error.Trim().Split('\n')[^1];
            log.WriteLine($"hooks: cannot read the proxy's internal CA with '{command}' (exit {result.ExitCode}: {why}); set {InstanceAccess.CaCertificateVariable} to its root certificate");
            return null;
        }

        try
        {
            var certificate = X509Certificate2.CreateFromPem(result.Output);
            log.WriteLine($"hooks: trusting the proxy's internal CA '{certificate.Subject}' (SHA-256 {certificate.GetCertHashString(HashAlgorithmName.SHA256)}), read with '{command}'");
            return certificate;
        }
        catch (CryptographicException)
        {
            log.WriteLine($"hooks: '{command}' did not print a PEM certificate; set {InstanceAccess.CaCertificateVariable} to the proxy's root certificate");
            return null;
        }
    }
}
