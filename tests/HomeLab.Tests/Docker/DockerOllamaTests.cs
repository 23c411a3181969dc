using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Tests.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Docker;

/// <summary>What an operator's stack settings turn into on the Ollama container.</summary>
public class DockerOllamaTests
{
    private static MapValue Container(string instanceLines, string name = "ollama")
    {
        var program = Compiler.Compile(Stacks.Parse(BadStackCases.WithInstance(instanceLines)));
        return program.Resources.Single(r => r.Name == $"{name}-container").Properties;
    }

    private static List<string> Strings(Value? list) => ((ListValue)list!).Items.Select(i => ((Text)i).Value).ToList();

    [Fact]
    public void Nvidia_count_becomes_a_device_request_for_that_many_gpus()
    {
        var request = (MapValue)((ListValue)Container("    gpu: { vendor: nvidia, count: 2 }")["deviceRequests"]!).Items.Single();

        request["driver"].Should().Be(new Text("nvidia"));
        request["count"].Should().Be(new Number(2));
        Strings(request["capabilities"]).Should().Equal("gpu");
    }

    [Fact]
    public void Nvidia_all_devices_requests_every_gpu()
    {
        var request = (MapValue)((ListValue)Container("    gpu: nvidia")["deviceRequests"]!).Items.Single();

        request["count"].Should().Be(new Number(-1));
        request["deviceIds"].Should().BeNull();
    }

    [Fact]
    public void Nvidia_device_ids_are_passed_as_given()
    {
        var request = (MapValue)((ListValue)Container("    gpu: { vendor: nvidia, devices: [1, GPU-5f1c] }")["deviceRequests"]!).Items.Single();

        Strings(request["deviceIds"]).Should().Equal("1", "GPU-5f1c");
        request["count"].Should().BeNull();
    }

    [Fact]
    public void Amd_gets_kfd_and_dri_and_the_rocm_image_by_default()
    {
        var stack = Stacks.Parse(BadStackCases.Valid.Replace("    image: ollama/ollama:0.12.6\n", "    gpu: amd\n", StringComparison.Ordinal));
        var program = Compiler.Compile(stack);
        var container = program.Resources.Single(r => r.Name == "ollama-container").Properties;

        var devices = ((ListValue)container["devices"]!).Items.Cast<MapValue>().Select(d => ((Text)d["hostPath"]!).Value);
        devices.Should().Equal("/dev/kfd", "/dev/dri");
        container["deviceRequests"].Should().BeNull();
        program.Resources.Should().ContainSingle(r => r.Type == "docker:RemoteImage" && r.Properties["name"]! == new Text(Pins.OllamaRocmImage));
    }

    [Fact]
    public void Limits_are_converted_to_the_megabytes_docker_expects()
    {
        var container = Container("    resources: { memory: 1536MiB, cpus: 2.5, shm: 1GiB }");

        container["memory"].Should().Be(new Number(1536));
        container["memorySwap"].Should().Be(new Number(1536), "no swap beyond the memory limit");
        container["cpus"].Should().Be(new Text("2.5"));
        container["shmSize"].Should().Be(new Number(1024));
    }

    [Fact]
    public void Tuning_maps_to_ollama_variables_and_extra_env_follows_sorted()
    {
        var env = Strings(Container("""
                tuning: { keepAlive: -1, numParallel: 3, maxLoadedModels: 2, contextLength: 16384, flashAttention: false, kvCacheType: q4_0, maxQueue: 64 }
                env: { ZED: "1", OLLAMA_DEBUG: "1" }
            """.TrimEnd())["envs"]);

        env.Should().Equal(
            "OLLAMA_HOST=0.0.0.0:11434",
            "OLLAMA_KEEP_ALIVE=-1",
            "OLLAMA_NUM_PARALLEL=3",
            "OLLAMA_MAX_LOADED_MODELS=2",
            "OLLAMA_CONTEXT_LENGTH=16384",
            "OLLAMA_FLASH_ATTENTION=0",
            "OLLAMA_KV_CACHE_TYPE=q4_0",
            "OLLAMA_MAX_QUEUE=64",
            "OLLAMA_NO_CLOUD=1",
            "OLLAMA_DEBUG=1",
            "ZED=1");
    }

    [Fact]
    public void Without_publish_ollama_has_no_host_port_and_sits_on_the_internal_network()
    {
        var stack = Stacks.Load("local");
        var program = Compiler.Compile(stack);
        var container = program.Resources.Single(r => r.Name == "ollama-container").Properties;

        container["ports"].Should().BeNull();
        var internalNet = program.Resources.Single(r => r.Name == "local-internal-net");
        internalNet.Properties["internal"].Should().Be(new Flag(true));
        ((ListValue)container["networksAdvanced"]!).Items.Cast<MapValue>().Select(n => n["name"])
            .Should().Contain(new Ref("local-internal-net", "name"));
        Strings(container["securityOpts"]).Should().Contain("no-new-privileges:true");
        container["restart"].Should().Be(new Text("unless-stopped"));
        ((MapValue)container["logOpts"]!)["max-size"].Should().Be(new Text("10m"));
    }

    [Fact]
    public void Publish_binds_the_chosen_address_only()
    {
        var port = (MapValue)((ListValue)Container("")["ports"]!).Items.Single();

        port["external"].Should().Be(new Number(11434));
        port["ip"].Should().Be(new Text("127.0.0.1"));
    }

    [Fact]
    public void Remote_hosts_get_their_own_provider_and_every_resource_uses_it()
    {
        var program = Compiler.Compile(Stacks.Load("gpu-box"));

        var provider = program.Resources.Single(r => r.Type == "pulumi:providers:docker");
        provider.Properties["host"].Should().Be(new Text("ssh://ops@gpu-box.lan"));
        program.Resources.Where(r => r.Type.StartsWith("docker:", StringComparison.Ordinal))
            .Should().OnlyContain(r => r.Options.Provider == new Ref(provider.Name, null) && r.Options.Version == Pins.DockerProvider);
    }

    [Fact]
    public void Instances_sharing_an_image_share_one_pull()
    {
        var program = Compiler.Compile(Stacks.Load("gpu-box"));

        program.Resources.Count(r => r.Type == "docker:RemoteImage" && r.Properties["name"]! == new Text("ollama/ollama:0.32.15")).Should().Be(1);
    }
}
