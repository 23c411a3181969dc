using System.Text.Json.Nodes;

using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Kubernetes;

/// <summary>
/// The k3s example's front end as the cluster gets it: who its NetworkPolicies let in and out, what its Deployment
/// runs as and is told, where its data lives, what waits for it — and no secret value in any of it.
/// </summary>
public sealed class K3sWebuiTests : IDisposable
{
    private readonly TempRepo repo = TempRepo.WithExamples();

    public void Dispose() => repo.Dispose();

    [Fact]
    public void Ollama_admits_exactly_the_proxy_and_the_front_end_and_only_the_proxy_without_a_front_end()
    {
        var withFrontEnd = Objects();
        repo.Edit("stacks/k3s.yaml", repo.Read("stacks/k3s.yaml")[repo.Read("stacks/k3s.yaml").IndexOf("\nwebui:", StringComparison.Ordinal)..], "\n");
        var without = Objects();

        Peers(withFrontEnd["k3s-policy"]["spec"]!, "ingress", "from").Should().Equal(KubernetesNames.ProxyPart, KubernetesNames.WebuiPart);
        Peers(without["k3s-policy"]["spec"]!, "ingress", "from").Should().Equal(KubernetesNames.ProxyPart);
        without.Keys.Should().NotContain(k => k.StartsWith("webui", StringComparison.Ordinal));
    }

    [Fact]
    public void The_front_end_admits_only_the_proxy_and_reaches_only_Ollama_and_DNS_unless_OpenAI_APIs_are_allowed()
    {
        var policy = Objects()["webui-from-proxy"]["spec"]!;

        policy["podSelector"]!["matchLabels"]![KubernetesNames.PartLabel]!.GetValue<string>().Should().Be(KubernetesNames.WebuiPart);
        Peers(policy, "ingress", "from").Should().Equal(KubernetesNames.ProxyPart);
        Ports(policy["ingress"]![0]!).Should().Equal($"TCP/{WebuiEndpoints.Port}");
        policy["policyTypes"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("Ingress", "Egress");
        var egress = policy["egress"]!.AsArray();
        egress.Should().HaveCount(2);
        Peers(policy, "egress", "to").Should().Equal(KubernetesNames.OllamaPart);
        Ports(egress[0]!).Should().Equal($"TCP/{Endpoints.OllamaPort}");
        egress[1]!["to"]![0]!["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]!.GetValue<string>().Should().Be("kube-system");
        Ports(egress[1]!).Should().Equal("UDP/53", "TCP/53");

        repo.Edit("stacks/k3s.yaml", "  domain: chat.home.arpa\n", "  domain: chat.home.arpa\n  openaiApi: true\n");
        var open = Objects()["webui-from-proxy"]["spec"]!;

        open["policyTypes"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("Ingress");
        open.AsObject().Should().NotContainKey("egress");
    }

    [Fact]
    public void The_front_end_runs_unprivileged_on_its_claim_and_talks_to_its_instances_Services()
    {
        var objects = Objects();
        var pod = objects["webui-deployment"]["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var env = container["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!);

        objects["webui-deployment"]["spec"]!["strategy"]!["type"]!.GetValue<string>().Should().Be("Recreate");
        pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>().Should().BeTrue();
        pod["securityContext"]!["runAsUser"]!.GetValue<long>().Should().Be(KubernetesNames.PodUser);
        container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>().Should().BeTrue();
        container["securityContext"]!["capabilities"]!["drop"]![0]!.GetValue<string>().Should().Be("ALL");
        env["OLLAMA_BASE_URLS"]["value"]!.GetValue<string>().Should().Be("http://ollama-chat:11434", "the example's front end talks to chat only");
        env["HOME"]["value"]!.GetValue<string>().Should().Be("/tmp", "the image's HOME, /root, is not the pod user's");
        env["WEBUI_SECRET_KEY"]["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>().Should().Be(KubernetesNames.WebuiSecret);
        env["WEBUI_SECRET_KEY"].AsObject().Should().NotContainKey("value");
        container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>().Should().Be(WebuiEndpoints.HealthPath);
        container["volumeMounts"]!.AsArray().Select(m => m!["mountPath"]!.GetValue<string>()).Should().Equal(WebuiEndpoints.DataPath, "/tmp");
        pod["volumes"]![0]!["persistentVolumeClaim"]!["claimName"]!.GetValue<string>().Should().Be(KubernetesNames.WebuiData);
        objects["webui-data"]["spec"]!["resources"]!["requests"]!["storage"]!.GetValue<string>().Should().Be("10Gi", "the example's 'size: 10GiB'");
        objects["webui-data"]["spec"]!["storageClassName"]!.GetValue<string>().Should().Be("local-path");
        objects["webui-service"]["spec"]!["type"]!.GetValue<string>().Should().Be("ClusterIP", "only the proxy, inside the cluster, reaches it");
    }

    [Fact]
    public void The_proxy_routes_the_chat_domain_to_the_front_ends_Service_and_waits_for_it_as_the_chat_hooks_do()
    {
        var program = Compile();
        var caddyfile = KubernetesObjects.Of(ProgramEmitter.Emit(program)).Single(o => o.Resource == "proxy-caddyfile").Body["data"]!["Caddyfile"]!.GetValue<string>();
        var chatSite = caddyfile[caddyfile.IndexOf("chat.home.arpa:443 {", StringComparison.Ordinal)..];

        chatSite[..chatSite.IndexOf("\n}\n", StringComparison.Ordinal)].Should().Contain($"reverse_proxy {KubernetesNames.WebuiUpstream}").And.NotContain("ollama-");
        DependsOn(program, "proxy-deployment").Should().Contain("webui-deployment");
        DependsOn(program, "chat-hooks").Should().Contain("webui-deployment", "verify checks the front end that talks to chat");
        DependsOn(program, "coder-hooks").Should().NotContain("webui-deployment");
    }

    [Fact]
    public void With_its_own_accounts_the_front_ends_admin_password_reaches_the_pod_only_by_reference()
    {
        repo.Edit("stacks/k3s.yaml", "  domain: chat.home.arpa\n", "  domain: chat.home.arpa\n  signIn: webui\n  adminEmail: admin@home.arpa\n  adminPassword: chatAdminPassword\n");
        var objects = Objects();

        objects["webui-secrets"]["stringData"]!.AsObject().Select(e => (e.Key, e.Value!.GetValue<string>()))
            .Should().Equal(("WEBUI_SECRET_KEY", "${webuiSecretKey}"), ("WEBUI_ADMIN_PASSWORD", "${chatAdminPassword}"));
        var env = objects["webui-deployment"]["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        env.Single(e => e!["name"]!.GetValue<string>() == "WEBUI_ADMIN_PASSWORD")!["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>().Should().Be("WEBUI_ADMIN_PASSWORD");
        env.Single(e => e!["name"]!.GetValue<string>() == "WEBUI_ADMIN_EMAIL")!["value"]!.GetValue<string>().Should().Be("admin@home.arpa");
    }

    [Fact]
    public void A_new_secret_value_rolls_the_pods_that_read_it_as_their_environment()
    {
        // A pod reads secretKeyRef variables only when it starts: without a pod-template change the proxy would keep
        // the old token and the front end the old session key after 'homelab secrets' sets new ones. The provider
        // replaces a Secret whose data changes (pulumi-kubernetes provider/pkg/provider/diff.go, forceNewProperties),
        // so its uid is what changes with the values.
        var objects = Objects();

        foreach (var (deployment, secret) in new[] { ("proxy-deployment", "proxy-credentials"), ("webui-deployment", "webui-secrets") })
        {
            objects[deployment]["spec"]!["template"]!["metadata"]!["annotations"]![KubernetesNames.SecretUidAnnotation]!.GetValue<string>()
                .Should().Be($"${{{secret}.metadata.uid}}", $"{deployment} reads {secret}");
        }
    }

    private PulumiProgram Compile() => Compiler.Compile(Stacks.Parse(repo.Read("stacks/k3s.yaml"), "k3s"));

    private Dictionary<string, JsonObject> Objects() =>
        KubernetesObjects.Of(ProgramEmitter.Emit(Compile())).ToDictionary(o => o.Resource, o => o.Body);

    private static List<string> Peers(JsonNode spec, string direction, string side) =>
        [.. spec[direction]!.AsArray().SelectMany(rule => rule![side]!.AsArray())
            .Where(peer => peer!["podSelector"] is not null)
            .Select(peer => peer!["podSelector"]!["matchLabels"]![KubernetesNames.PartLabel]!.GetValue<string>())];

    private static List<string> Ports(JsonNode rule) =>
        [.. rule["ports"]!.AsArray().Select(p => $"{p!["protocol"]!.GetValue<string>()}/{p["port"]!.GetValue<long>()}")];

    private static List<string> DependsOn(PulumiProgram program, string resource) =>
        [.. program.Resources.Single(r => r.Name == resource).Options.DependsOn?.Select(d => d.Name) ?? []];
}
