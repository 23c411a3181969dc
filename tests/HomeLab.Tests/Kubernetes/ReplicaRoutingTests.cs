using System.Text.Json.Nodes;

using HomeLab.Conventions;
using HomeLab.Hooks;
using HomeLab.Modules.Hooks;
using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Kubernetes;

/// <summary>
/// An instance with several replicas on a Kubernetes host: each replica has a model volume of its own, so the hooks
/// plan one run per replica, the proxy routes each replica's pinned requests to its pod, the NetworkPolicy admits the
/// proxy to every pod, and scaling re-runs the hooks. (Through real Caddy: <see cref="K3sThroughCaddyTests"/>.)
/// </summary>
public class ReplicaRoutingTests
{
    private static readonly string K3s = File.ReadAllText(Path.Combine(Repo.Stacks, "k3s.yaml"));

    private static StackSpec WithChatReplicas(int replicas, string extra = "") =>
        Stacks.Parse(K3s.Replace("    nodeSelector:\n      homelab.dev/gpu: nvidia", $"    replicas: {replicas}\n    nodeSelector:\n      homelab.dev/gpu: nvidia", StringComparison.Ordinal) + extra, "k3s");

    [Fact]
    public void The_hooks_plan_one_run_per_replica_each_pinned_to_its_pod()
    {
        var spec = WithChatReplicas(3);

        var plans = HookPlan.PerReplica(spec, spec.Instances.Single(i => i.Name == "chat"));

        plans.Select(p => p.Replica).Should().Equal(0, 1, 2);
        plans.Select(p => p.Target).Should().Equal("chat (replica 0)", "chat (replica 1)", "chat (replica 2)");
        plans[2].Endpoint(credential: null).Headers.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            [HookRouting.InstanceHeader] = "chat",
            [HookRouting.ReplicaHeader] = "2",
        });
        plans.Should().OnlyContain(p => p.Models.Count == 3 && p.BaseUrl == plans[0].BaseUrl, "every replica gets the instance's models through the proxy's one address");
    }

    [Fact]
    public void One_replica_or_hooks_that_do_not_pin_plan_one_run_without_a_replica_header()
    {
        var single = Stacks.Load("k3s");
        var unpinned = WithChatReplicas(2, "hooks:\n  enabled: false\n");

        var one = HookPlan.PerReplica(single, single.Instances.Single(i => i.Name == "chat"));
        var off = HookPlan.PerReplica(unpinned, unpinned.Instances.Single(i => i.Name == "chat"));

        one.Should().ContainSingle().Which.Replica.Should().BeNull();
        one[0].Endpoint(credential: null).Headers.Should().NotContainKey(HookRouting.ReplicaHeader);
        off.Should().ContainSingle("without hooks the proxy routes no pinning header, so per-replica requests would land anywhere");
    }

    [Fact]
    public void The_proxy_routes_each_replica_to_its_pod_by_the_headless_service_after_authentication()
    {
        var caddyfile = Caddyfile(Compile(WithChatReplicas(2)));

        caddyfile.Should().Contain($"\t@instance_chat_replica_1 {{\n\t\theader {HookRouting.InstanceHeader} chat\n\t\theader {HookRouting.ReplicaHeader} 1\n\t}}\n");
        caddyfile.Should().Contain("\t\thandle @instance_chat_replica_0 {\n\t\t\trespond @not_ollama 404\n\t\t\treverse_proxy ollama-chat-0.pods-chat.homelab.svc:11434 {\n");
        caddyfile.Should().Contain("reverse_proxy ollama-chat-1.pods-chat.homelab.svc:11434 {\n");
        caddyfile.IndexOf("handle @instance_chat_replica_1", StringComparison.Ordinal).Should()
            .BeGreaterThan(caddyfile.IndexOf("respond @no_valid_key 401", StringComparison.Ordinal), "a replica is reached only with a valid token")
            .And.BeLessThan(caddyfile.IndexOf("handle @instance_chat {", StringComparison.Ordinal), "handles are exclusive and tried in order: the more specific replica pin first");
        caddyfile.Should().NotContain("replica_2").And.NotContain("instance_coder_replica", "coder runs one replica");
        caddyfile.Split($"header_up -{HookRouting.ReplicaHeader}").Length.Should().Be(caddyfile.Split("reverse_proxy ollama-").Length, "every block to Ollama drops the replica header");
    }

    [Fact]
    public void The_k3s_example_with_one_replica_each_has_no_replica_routes()
    {
        Caddyfile(Compile(Stacks.Load("k3s"))).Should().NotContain(HookRouting.ReplicaHeader).And.NotContain("pods-");
    }

    [Fact]
    public void The_network_policy_admits_the_proxy_and_front_end_pods_to_every_replica_on_ollamas_port()
    {
        var objects = Compile(WithChatReplicas(2));
        var policy = objects.Single(o => o.Resource == "k3s-policy").Body["spec"]!;
        var pods = objects.Single(o => o.Resource == "chat-statefulset").Body["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var proxy = objects.Single(o => o.Resource == "proxy-deployment").Body["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var frontEnd = objects.Single(o => o.Resource == "webui-deployment").Body["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var container = objects.Single(o => o.Resource == "chat-statefulset").Body["spec"]!["template"]!["spec"]!["containers"]![0]!;

        // Every replica is a pod of the one template, so a selector the template matches selects them all; traffic to a
        // pod's own DNS name arrives at the pod's address, which is what a NetworkPolicy filters (networking/v1
        // NetworkPolicySpec: it selects pods, whatever name or Service the client dialled).
        Matches(policy["podSelector"]!["matchLabels"]!.AsObject(), pods).Should().BeTrue();
        var rule = policy["ingress"]![0]!;
        Matches(rule["from"]![0]!["podSelector"]!["matchLabels"]!.AsObject(), proxy).Should().BeTrue();
        Matches(rule["from"]![1]!["podSelector"]!["matchLabels"]!.AsObject(), frontEnd).Should().BeTrue("the example's front end talks to chat");
        Matches(rule["from"]![1]!["podSelector"]!["matchLabels"]!.AsObject(), proxy).Should().BeFalse();
        rule["ports"]![0]!["port"]!.GetValue<long>().Should().Be(container["ports"]![0]!["containerPort"]!.GetValue<long>()).And.Be(Endpoints.OllamaPort);
        objects.Single(o => o.Resource == "chat-headless").Body["spec"]!["clusterIP"]!.GetValue<string>().Should().Be("None", "the replicas' DNS names come from the headless Service");
        objects.Single(o => o.Resource == "chat-statefulset").Body["spec"]!["serviceName"]!.GetValue<string>().Should().Be(KubernetesNames.HeadlessService("chat"));
    }

    [Fact]
    public void Scaling_re_runs_the_hooks_and_one_replica_keeps_the_digest_it_had()
    {
        var one = WithChatReplicas(1).Instances.Single(i => i.Name == "chat");
        var two = WithChatReplicas(2).Instances.Single(i => i.Name == "chat");
        var three = WithChatReplicas(3).Instances.Single(i => i.Name == "chat");

        PostDeployHooks.ModelsDigest(one).Should().Be(PostDeployHooks.ModelsDigest(Stacks.Load("k3s").Instances.Single(i => i.Name == "chat")));
        new[] { one, two, three }.Select(PostDeployHooks.ModelsDigest).Should().OnlyHaveUniqueItems("a new replica starts with an empty volume");
    }

    private static IReadOnlyList<KubernetesObjects.KubernetesObject> Compile(StackSpec spec) => KubernetesObjects.Of(ProgramEmitter.Emit(Compiler.Compile(spec)));

    private static string Caddyfile(IReadOnlyList<KubernetesObjects.KubernetesObject> objects) =>
        objects.Single(o => o.Token == "kubernetes:core/v1:ConfigMap").Body["data"]!["Caddyfile"]!.GetValue<string>();

    private static bool Matches(JsonObject selector, JsonObject labels) =>
        selector.All(s => labels[s.Key]?.GetValue<string>() == s.Value!.GetValue<string>());
}
