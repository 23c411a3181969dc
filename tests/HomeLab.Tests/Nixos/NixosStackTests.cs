using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Nixos;

/// <summary>Settings that make sense on one kind of host only are refused on the other, with position and fix.</summary>
public class NixosStackTests
{
    private const string DockerHost = "hosts:\n  box:\n    kind: docker\n    engine: local\n    address: 127.0.0.1\n";

    private static Diagnostic SingleProblem(string yaml, string problem)
    {
        var load = () => Stacks.Parse(yaml);
        var diagnostics = load.Should().Throw<StackFileException>().Which.Diagnostics;
        var diagnostic = diagnostics.Should().ContainSingle(d => d.Problem.Contains(problem, StringComparison.Ordinal),
            "one problem should say '{0}'; found: {1}", problem, string.Join(" | ", diagnostics)).Which;
        diagnostic.At.Line.Should().BePositive();
        diagnostic.Fix.Should().NotBeNullOrWhiteSpace();
        return diagnostic;
    }

    private static string NixosWith(string instanceYaml, string rest = "hooks:\n  via: direct\n") =>
        "hosts:\n  box: { kind: nixos,\n    address: box.lan,\n    ssh: { hostKey: " + NixosStacks.HostKey + " } }\ninstances:\n  ollama:\n    host: box\n" + instanceYaml + rest;

    [Fact]
    public void The_grey_area_example_loads_as_a_nixos_host_with_its_limits()
    {
        var spec = NixosStacks.GreyArea;

        var host = NixosStacks.OnlyHost(spec);
        host.Should().Be(new NixosHostSpec("grey-area", "grey-area.lan", new NixosSsh("deploy", 22, "greyAreaSshKey", SshHostKey.Parse(NixosStacks.HostKey)), "/etc/nixos/homelab", RebuildMode.Switch, true, host.At));
        var instance = spec.Instances.Single();
        instance.Gpu.Vendor.Should().Be(GpuVendor.Nvidia);
        instance.Resources.Should().Be(new ResourceSpec(16L << 30, 6, null, ProcessPriority.Low));
        instance.Storage.Path.Should().Be("/srv/data/ollama");
        instance.Models.Select(m => (m.Name.Written, m.Kind)).Should().Equal(
            ("llama3.1:8b", ModelKind.Chat), ("qwen3:8b", ModelKind.Chat), ("qwen2.5-coder:7b", ModelKind.Chat), ("nomic-embed-text:v1.5", ModelKind.Embedding));
        spec.Proxy!.Tls.Should().Be(TlsMode.Internal);
        spec.Proxy.Auth.BasicAuth.Should().ContainSingle();
    }

    [Fact]
    public void Priority_on_a_docker_host_is_refused()
    {
        var diagnostic = SingleProblem(
            DockerHost + "instances:\n  ollama:\n    host: box\n    resources: { memory: 8GiB, priority: low }\n    publish: { port: 11434 }\nhooks:\n  via: direct\n",
            "sets resources 'priority' on Docker host 'box'");

        diagnostic.At.Line.Should().Be(7);
        diagnostic.Fix.Should().Contain("remove 'priority'");
    }

    [Fact]
    public void An_unknown_priority_is_refused_with_the_choices()
    {
        SingleProblem(NixosWith("    resources: { priority: Low }\n"), "priority 'Low' is not one of normal, low, idle")
            .Fix.Should().Contain("did you mean 'low'?");
    }

    [Theory]
    [InlineData("    resources: { shm: 1GiB }\n", "sets 'shm' but runs on NixOS host 'box'")]
    [InlineData("    image: ollama/ollama:0.12.6\n", "sets 'image' but runs on NixOS host 'box'")]
    [InlineData("    publish: { port: 11434 }\n", "sets 'publish' but runs on NixOS host 'box'")]
    [InlineData("    storage: { volume: models }\n", "uses a named volume on NixOS host 'box'")]
    [InlineData("    gpu: { vendor: nvidia, count: 1 }\n", "selects GPU devices on NixOS host 'box'")]
    [InlineData("    env: { OLLAMA_HOST: 0.0.0.0 }\n", "sets env OLLAMA_HOST, which NixOS derives from other settings")]
    [InlineData("    env: { OLLAMA_MODELS: /tmp/m }\n", "sets env OLLAMA_MODELS, which NixOS derives from other settings")]
    [InlineData("    storage: { path: /home/alice/models }\n", "stores models under /home, which the NixOS Ollama service cannot write")]
    [InlineData("    storage: { path: /nix/ollama }\n", "stores models under /nix")]
    [InlineData("    storage: { path: / }\n", "stores models in the root directory")]
    public void Docker_only_and_unusable_settings_are_refused_on_nixos(string instanceYaml, string problem)
    {
        var diagnostic = SingleProblem(NixosWith(instanceYaml), problem);

        diagnostic.At.Line.Should().Be(6, "the instance is declared on line 6");
        diagnostic.ToString().Should().StartWith("stacks/test.yaml:6:3: ");
    }

    [Fact]
    public void A_second_instance_on_one_nixos_host_is_refused()
    {
        var yaml = NixosWith("", "  second:\n    host: box\n    port: 11500\nhooks:\n  via: direct\n");

        var diagnostic = SingleProblem(yaml, "instance 'second' is the second instance on NixOS host 'box', which runs one Ollama service ('ollama')");

        diagnostic.At.Line.Should().Be(8);
    }

    [Theory]
    [InlineData("  image: caddy:2.10.2\n", "proxy sets 'image' but runs on NixOS host 'box'")]
    [InlineData("  bind: 127.0.0.1\n", "proxy sets 'bind: 127.0.0.1' but runs on NixOS host 'box'")]
    public void Docker_only_proxy_settings_are_refused_on_nixos(string proxyYaml, string problem)
    {
        var yaml = NixosWith("", "proxy:\n  host: box\n  domain: ollama.box.lan\n" + proxyYaml + "  routes:\n    - to: [ollama]\n");

        SingleProblem(yaml, problem).At.Line.Should().Be(9);
    }
}
