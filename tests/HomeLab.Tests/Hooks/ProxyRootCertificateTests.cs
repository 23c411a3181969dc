using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using HomeLab.Hooks;
using HomeLab.Tests.Deploy;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Hooks;

/// <summary>How the hooks get the proxy's internal CA when the operator has not given it.</summary>
public class ProxyRootCertificateTests
{
    private static string RootPem()
    {
        using var key = ECDsa.Create();
        using var root = new CertificateRequest("CN=Caddy Local Authority - 2026 ECC Root", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        return root.ExportCertificatePem();
    }

    [Fact]
    public void The_root_is_read_over_the_channel_each_host_is_deployed_through()
    {
        ProxyRootCertificate.ReadCommand(Stacks.Load("gpu-box"), "/repo")!.ToString()
            .Should().Be("docker -H ssh://ops@gpu-box.lan exec homelab-gpu-box-proxy cat /data/caddy/pki/authorities/local/root.crt");
        ProxyRootCertificate.ReadCommand(Stacks.Load("grey-area"), "/repo")!.ToString()
            .Should().Be("ssh -o BatchMode=yes -o ConnectTimeout=15 -p 22 deploy@grey-area.lan sudo -n cat /var/lib/caddy/.local/share/caddy/pki/authorities/local/root.crt");
        ProxyRootCertificate.ReadCommand(Stacks.Load("local"), "/repo").Should().BeNull("the local stack's proxy has TLS off");
    }

    [Fact]
    public void On_kubernetes_the_root_is_read_through_the_kubeconfig_file_the_provider_reads()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        ProxyRootCertificate.ReadCommand(Stacks.Load("k3s"), "/repo")!.ToString()
            .Should().Be($"kubectl --kubeconfig {home}/.kube/k3s.yaml --context default --namespace homelab exec deployment/proxy -- cat /data/caddy/pki/authorities/local/root.crt",
                "'~/' is the home directory, as pulumi-kubernetes expands it (provider/pkg/provider/util.go, parseKubeconfigString)");
    }

    [Fact]
    public void A_proxy_that_has_not_created_its_ca_yet_is_asked_again()
    {
        var pem = RootPem();
        var tools = new FakeTools().Answer("docker ", 0, pem).FailFirst(2, 1, "cat: can't open: No such file or directory");
        using var log = new StringWriter();

        using var root = ProxyRootCertificate.Read(ProxyRootCertificate.ReadCommand(Stacks.Load("gpu-box"), "/repo")!, tools, log, attempts: 5, pause: TimeSpan.Zero);

        root!.Subject.Should().Be("CN=Caddy Local Authority - 2026 ECC Root");
        tools.Captured.Should().HaveCount(3);
        log.ToString().Should().StartWith("hooks: trusting the proxy's internal CA 'CN=Caddy Local Authority - 2026 ECC Root' (SHA-256 ");
    }

    [Fact]
    public void When_the_root_cannot_be_read_the_hooks_say_why_and_go_on_without_it()
    {
        var tools = new FakeTools().Answer("docker ", 1, error: "Error response from daemon: No such container: homelab-gpu-box-proxy\n");
        using var log = new StringWriter();

        var root = ProxyRootCertificate.Read(ProxyRootCertificate.ReadCommand(Stacks.Load("gpu-box"), "/repo")!, tools, log, attempts: 2, pause: TimeSpan.Zero);

        root.Should().BeNull();
        tools.Captured.Should().HaveCount(2);
        log.ToString().Should().Be("hooks: cannot read the proxy's internal CA with 'docker -H ssh://ops@gpu-box.lan exec homelab-gpu-box-proxy cat /data/caddy/pki/authorities/local/root.crt' "
            + "(exit 1: Error response from daemon: No such container: homelab-gpu-box-proxy); set HOMELAB_CA_CERT to its root certificate" + Environment.NewLine);
    }

    [Fact]
    public void Output_that_is_not_a_certificate_is_not_trusted()
    {
        var tools = new FakeTools().Answer("docker ", 0, "cat: can't open '/data/caddy/pki/authorities/local/root.crt'\n");
        using var log = new StringWriter();

        ProxyRootCertificate.Read(ProxyRootCertificate.ReadCommand(Stacks.Load("gpu-box"), "/repo")!, tools, log).Should().BeNull();
        log.ToString().Should().Contain("did not print a PEM certificate");
    }
}
