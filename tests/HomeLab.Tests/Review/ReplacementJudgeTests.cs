using HomeLab.Program;
using HomeLab.Review;

namespace HomeLab.Tests.Review;

/// <summary>The replace-or-update decision on small programs, one engine or provider rule per test.</summary>
public class ReplacementJudgeTests
{
    private static Resource Network(string driver) => new("net", "docker:Network", new MapValue(("name", "lab-net"), ("driver", driver)), new ResourceOptions());

    private static Resource Container(string memory, ResourceOptions? options = null, string image = "ollama/ollama:0.12.6") => new("box", "docker:Container",
        new MapValue(("image", image), ("memory", memory), ("networksAdvanced", new ListValue(new MapValue(("name", new Ref("net", "name")))))), options ?? new ResourceOptions());

    private static Resource Hooks(string create) => new("hooks", "command:local:Command",
        new MapValue(("create", create), ("triggers", new ListValue(new Ref("box", "id")))), new ResourceOptions());

    private static PulumiProgram Program(params Resource[] resources) => new("homelab", "", [], resources, []);

    private static Dictionary<string, Verdict?> Judge(PulumiProgram before, PulumiProgram after) =>
        ReplacementJudge.Judge(ProgramDiff.Compare("lab", before, after), before, after, ProviderReplacementRules.Instance).Resources.ToDictionary(r => r.Name, r => r.Verdict);

    [Fact]
    public void A_property_the_provider_updates_in_place_leaves_dependents_alone()
    {
        var verdicts = Judge(Program(Network("bridge"), Container("1024"), Hooks("run")), Program(Network("bridge"), Container("2048"), Hooks("run")));

        verdicts.Should().Equal(new Dictionary<string, Verdict?> { ["box"] = new Verdict(Effect.UpdateInPlace) });
    }

    [Fact]
    public void A_replaced_network_replaces_the_container_that_joins_it_and_the_command_triggered_by_that_runs_again()
    {
        var verdicts = Judge(Program(Network("bridge"), Container("1024"), Hooks("run")), Program(Network("macvlan"), Container("1024"), Hooks("run")));

        verdicts.Should().Equal(new Dictionary<string, Verdict?>
        {
            ["net"] = new Verdict(Effect.Replace, "driver"),
            ["box"] = new Verdict(Effect.Replace, "networksAdvanced refers to net"),
            ["hooks"] = new Verdict(Effect.RunAgain, "triggers refers to box"),
        });
    }

    [Fact]
    public void The_resources_own_replaceOnChanges_option_turns_an_in_place_change_into_a_replacement()
    {
        var options = new ResourceOptions(ReplaceOnChanges: ["memory"]);

        Judge(Program(Container("1024", options)), Program(Container("2048", options)))["box"].Should().Be(new Verdict(Effect.Replace, "memory"));
    }

    [Fact]
    public void A_change_the_resource_ignores_neither_replaces_nor_counts()
    {
        var options = new ResourceOptions(IgnoreChanges: ["image"]);

        Judge(Program(Container("1024", options)), Program(Container("2048", options, image: "ollama/ollama:0.13.0")))["box"].Should().Be(new Verdict(Effect.UpdateInPlace));
    }

    [Fact]
    public void A_command_whose_create_changes_runs_again_without_a_replacement()
    {
        Judge(Program(Container("1024"), Hooks("run")), Program(Container("1024"), Hooks("run --verbose")))["hooks"].Should().Be(new Verdict(Effect.RunAgain, "create"));
    }

    [Fact]
    public void A_command_that_only_gains_a_dependency_does_not_run_again()
    {
        var before = Hooks("run");
        var after = before with { Options = new ResourceOptions(DependsOn: [new Ref("box")]) };

        Judge(Program(Container("1024"), before), Program(Container("1024"), after))["hooks"].Should().Be(new Verdict(Effect.UpdateInPlace, "resource options only"));
    }

    [Fact]
    public void A_provider_resource_is_not_guessed_about()
    {
        var before = new Resource("engine", "pulumi:providers:docker", new MapValue(("host", "ssh://ops@a.lan")), new ResourceOptions());
        var after = before with { Properties = new MapValue(("host", "ssh://ops@b.lan")) };

        Judge(Program(before), Program(after))["engine"].Should().Be(new Verdict(Effect.NotModelled));
    }

    [Theory]
    [InlineData("docker:Container", "image", "image")]
    [InlineData("docker:Container", "envs[3]", "envs")]
    [InlineData("docker:Container", "deviceRequests[0].deviceIds[0]", "deviceRequests")]
    [InlineData("docker:Container", "shmSize", "shmSize")]
    [InlineData("docker:Container", "cpus", "cpus")]
    [InlineData("docker:Container", "memory", null)]
    [InlineData("docker:Container", "restart", null)]
    [InlineData("docker:Container", "healthcheck.interval", null)]
    [InlineData("docker:RemoteImage", "name", "name")]
    [InlineData("docker:RemoteImage", "keepLocally", null)]
    [InlineData("docker:Volume", "labels[0].value", "labels")]
    [InlineData("docker:Network", "internal", "internal")]
    [InlineData("command:remote:Command", "triggers[0]", "triggers")]
    [InlineData("command:remote:Command", "stdin", null)]
    [InlineData("command:remote:CopyToRemote", "source", null)]
    [InlineData("kubernetes:apps/v1:StatefulSet", "spec.volumeClaimTemplates[0].spec.resources.requests.storage", "spec.volumeClaimTemplates")]
    [InlineData("kubernetes:apps/v1:StatefulSet", "spec.serviceName", "spec.serviceName")]
    [InlineData("kubernetes:apps/v1:StatefulSet", "spec.selector.matchLabels.app", "spec.selector")]
    [InlineData("kubernetes:apps/v1:StatefulSet", "spec.replicas", null)]
    [InlineData("kubernetes:apps/v1:StatefulSet", "spec.template.spec.containers[0].image", null)]
    [InlineData("kubernetes:apps/v1:StatefulSet", "metadata.name", "metadata.name")]
    [InlineData("kubernetes:apps/v1:StatefulSet", "metadata.labels.x", null)]
    [InlineData("kubernetes:apps/v1:Deployment", "spec.template.metadata.annotations.x", null)]
    [InlineData("kubernetes:core/v1:Service", "spec.clusterIP", "spec.clusterIP")]
    [InlineData("kubernetes:core/v1:Service", "spec.type", null)]
    [InlineData("kubernetes:core/v1:ConfigMap", "data.Caddyfile", "data")]
    [InlineData("kubernetes:core/v1:Secret", "stringData.HOMELAB_BEARER_x", "stringData")]
    [InlineData("kubernetes:core/v1:PersistentVolumeClaim", "spec.storageClassName", "spec.storageClassName")]
    public void Provider_facts_for_the_pinned_versions(string type, string path, string? forces)
    {
        ProviderReplacementRules.Instance.ForcesReplacement(type, path).Should().Be(forces);
    }
}
