using HomeLab.Cli;
using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Webui;

/// <summary>'webui:' in a stack file: what it reads, the defaults, and one clear error (with a position and a fix) per mistake.</summary>
public class WebuiStackTests
{
    private const string Base =
        "hosts:\n  box:\n    kind: docker\n    engine: local\n    address: 127.0.0.1\n" +
        "instances:\n  a:\n    host: box\n  b:\n    host: box\n" +
        "hooks: { enabled: false }\n";

    private const string BasicProxy = "proxy:\n  host: box\n  domain: ollama.home.arpa\n  auth:\n    basicAuth:\n      - { user: alice, passwordHash: aliceHash }\n  routes:\n    - to: [a, b]\n";

    private static StackSpec Load(string yaml) => Stacks.Parse(Base + yaml, "chat");

    private static Diagnostic SingleProblem(string yaml, string problem)
    {
        var load = () => Load(yaml);
        var diagnostics = load.Should().Throw<StackFileException>().Which.Diagnostics;
        var diagnostic = diagnostics.Should().ContainSingle(d => d.Problem.Contains(problem, StringComparison.Ordinal),
            "one problem should say '{0}'; found: {1}", problem, string.Join(" | ", diagnostics)).Which;
        diagnostic.At.Line.Should().BePositive();
        diagnostic.Fix.Should().NotBeNullOrWhiteSpace();
        return diagnostic;
    }

    [Fact]
    public void A_minimal_front_end_signs_in_by_the_proxy_and_talks_to_every_instance_on_its_host()
    {
        var webui = Load(BasicProxy + "webui:\n  host: box\n  domain: chat.home.arpa\n").Webui!;

        webui.SignIn.Should().Be(SignInMode.Proxy);
        webui.Instances.Should().Equal("a", "b");
        webui.Storage.Volume.Should().Be("homelab-chat-webui-data");
        webui.SecretKeySecret.Should().Be("webuiSecretKey");
        webui.OpenAiApi.Should().BeFalse();
    }

    [Fact]
    public void Homelab_secrets_generates_the_session_key_and_the_admin_password()
    {
        var spec = Load(BasicProxy + "webui:\n  host: box\n  domain: chat.home.arpa\n  signIn: webui\n  adminEmail: admin@home.arpa\n  adminPassword: chatAdmin\n");

        SecretRequirement.Of(spec).Select(s => (s.Key, s.Kind)).Should().Contain([("webuiSecretKey", SecretKind.WebuiSecretKey), ("chatAdmin", SecretKind.WebuiAdminPassword)]);
        spec.SecretKeys().Should().Contain(["webuiSecretKey", "chatAdmin"]);
    }

    [Theory]
    [InlineData("webui:\n  host: box\n  domain: chat.home.arpa\n", "webui needs the proxy")]
    [InlineData(BasicProxy + "webui:\n  host: box\n  domain: ollama.home.arpa\n", "is the proxy's (Ollama's) domain")]
    [InlineData(BasicProxy + "webui:\n  host: box\n", "webui has no 'domain'")]
    [InlineData(BasicProxy + "webui:\n  host: box\n  domain: chat.home.arpa\n  instances: [c]\n", "instance 'c', which is not declared")]
    [InlineData(BasicProxy + "webui:\n  host: box\n  domain: chat.home.arpa\n  signIn: sso\n", "signIn")]
    [InlineData(BasicProxy + "webui:\n  host: box\n  domain: chat.home.arpa\n  signIn: webui\n", "names no first admin")]
    [InlineData(BasicProxy + "webui:\n  host: box\n  domain: chat.home.arpa\n  adminEmail: admin@home.arpa\n", "sign-in is by the proxy")]
    [InlineData("proxy:\n  host: box\n  auth:\n    bearerTokens: [t]\n  routes:\n    - to: [a, b]\nwebui:\n  host: box\n  domain: chat.home.arpa\n", "no basic-auth users")]
    [InlineData("proxy:\n  host: box\n  auth:\n    basicAuth:\n      - { user: bob@home, passwordHash: bobHash }\n  routes:\n    - to: [a, b]\nwebui:\n  host: box\n  domain: chat.home.arpa\n", "cannot sign in to the front end")]
    [InlineData(BasicProxy + "webui:\n  host: box\n  domain: chat.home.arpa\n  secretKey: my-key\n", "is not a Pulumi config key name")]
    [InlineData(BasicProxy + "webui:\n  host: box\n  domain: chat.home.arpa\n  image: ghcr.io/open-webui/open-webui\n", "webui")]
    public void Each_mistake_gives_one_clear_error(string yaml, string problem) => SingleProblem(yaml, problem);

    [Fact]
    public void A_front_end_on_another_host_than_the_proxy_is_refused()
    {
        var yaml = "hosts:\n  box:\n    kind: docker\n    engine: local\n    address: 127.0.0.1\n  other:\n    kind: docker\n    engine: local\n    address: 127.0.0.2\n" +
            "instances:\n  a:\n    host: box\nhooks: { enabled: false }\n" + BasicProxy.Replace("[a, b]", "[a]", StringComparison.Ordinal) + "webui:\n  host: other\n  domain: chat.home.arpa\n";
        var load = () => Stacks.Parse(yaml, "chat");

        load.Should().Throw<StackFileException>().Which.Diagnostics.Should().Contain(d => d.Problem.Contains("but the proxy on 'box'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("  storage: { size: 20GiB }\n", 20L << 30)]
    public void A_front_end_on_a_Kubernetes_host_loads_with_the_size_of_its_data_claim(string storage, long? size)
    {
        var yaml = "hosts:\n  k3s:\n    kind: kubernetes\n    address: 192.168.1.40\n" +
            "instances:\n  a:\n    host: k3s\nhooks: { enabled: false }\n" +
            BasicProxy.Replace("host: box", "host: k3s", StringComparison.Ordinal).Replace("[a, b]", "[a]", StringComparison.Ordinal) +
            "webui:\n  host: k3s\n  domain: chat.home.arpa\n" + storage;

        var webui = Stacks.Parse(yaml, "chat").Webui!;

        webui.Instances.Should().Equal("a");
        webui.Storage.SizeBytes.Should().Be(size);
    }

    [Fact]
    public void On_a_cluster_an_instance_only_the_front_end_talks_to_is_reachable_and_one_neither_reaches_is_refused()
    {
        var stack = (string frontEnd) => "hosts:\n  k3s:\n    kind: kubernetes\n    address: 192.168.1.40\n" +
            "instances:\n  a:\n    host: k3s\n  chatonly:\n    host: k3s\nhooks: { enabled: false }\n" +
            BasicProxy.Replace("host: box", "host: k3s", StringComparison.Ordinal).Replace("[a, b]", "[a]", StringComparison.Ordinal) +
            $"webui:\n  host: k3s\n  domain: chat.home.arpa\n  instances: [{frontEnd}]\n";

        Stacks.Parse(stack("chatonly"), "chat").Webui!.Instances.Should().Equal("chatonly");
        var unreached = () => Stacks.Parse(stack("a"), "chat");
        unreached.Should().Throw<StackFileException>().Which.Diagnostics.Should().ContainSingle()
            .Which.Problem.Should().Contain("instance 'chatonly' on Kubernetes host 'k3s' can be reached by nobody");
    }
}
