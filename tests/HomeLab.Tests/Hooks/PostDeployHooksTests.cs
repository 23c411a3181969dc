using System.Text.Json;

using HomeLab.Contracts;
using HomeLab.Conventions;
using HomeLab.Hooks;
using HomeLab.Modules;
using HomeLab.Modules.Hooks;
using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Hooks;

public class PostDeployHooksTests
{
    private static readonly ResourceContract CommandSchema = ProviderContract.Command.Resources["command:local:Command"];

    [Fact]
    public void Each_instance_gets_a_local_command_that_runs_the_hooks_after_the_instance_and_proxy()
    {
        var program = Compiler.Compile(Stacks.Load("local"));
        var hooks = program.Resources.Single(r => r.Type == "command:local:Command");

        hooks.Name.Should().Be("ollama-hooks");
        ((Text)hooks.Properties["create"]!).Value.Should().Be("sh infra/Launch/homelab.sh hooks local --instance ollama");
        ((MapValue)hooks.Properties["environment"]!).Entries.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, Value>("HOMELAB_BEARER_localToken", new Ref("localToken")));
        program.Config.Should().Contain(new ConfigParam("localToken", "string", Secret: true));
        var triggers = ((ListValue)hooks.Properties["triggers"]!).Items;
        triggers[0].Should().Be(new Ref("ollama-container", "id"), "a replaced container has a new id, which re-runs the hooks");
        ((Text)triggers[1]).Value.Should().MatchRegex("^sha256:[0-9a-f]{64}$");
        hooks.Options.DependsOn.Should().Equal(new Ref("ollama-container"), new Ref("proxy"));
        hooks.Options.Version.Should().Be(Pins.CommandProvider);
        program.Outputs.Should().Contain(new Output("ollamaHooks", new Ref("ollama-hooks", "stdout")));
    }

    [Fact]
    public void The_command_properties_match_the_command_provider_schema()
    {
        var inputs = CommandSchema.Inputs;
        var outputs = CommandSchema.Outputs;
        foreach (var stack in Repo.ExampleStacks())
        {
            foreach (var hooks in Compiler.Compile(Stacks.Load(stack)).Resources.Where(r => r.Type == "command:local:Command"))
            {
                foreach (var (name, value) in hooks.Properties.Entries)
                {
                    inputs.TryGetProperty(name, out var property).Should().BeTrue($"'{name}' must be an input of command:local:Command ({stack})");
                    var type = property.TryGetProperty("type", out var t) ? t.GetString() : "string";
                    (type switch
                    {
                        "string" => value is Text or Interpolation,
                        "boolean" => value is Flag,
                        "array" => value is ListValue,
                        "object" => value is MapValue map && map.Entries.All(e => e.Value is Text or Ref or Interpolation),
                        _ => false,
                    }).Should().BeTrue($"'{name}' must be a {type}");
                }

                var logging = ((Text)hooks.Properties["logging"]!).Value;
                ProviderContract.Command.EnumValues("command:local:Logging").Should().Contain(logging);
                outputs.TryGetProperty("stdout", out _).Should().BeTrue("the report is read from the 'stdout' output");
            }
        }
    }

    [Fact]
    public void The_models_digest_changes_with_the_declared_models_and_nothing_else()
    {
        static string Digest(string yaml) => PostDeployHooks.ModelsDigest(HookHarness.Parse(yaml).Instances[0]);
        var baseline = Digest(HookHarness.DirectStack());

        Digest(HookHarness.DirectStack()).Should().Be(baseline);
        Digest(HookHarness.DirectStack().Replace("image: ollama/ollama:0.32.15", "image: ollama/ollama:0.32.16", StringComparison.Ordinal)).Should().Be(baseline, "the image is the container's business; a new container re-runs the hooks anyway");
        Digest(HookHarness.DirectStack(HookHarness.DefaultModels.Replace("You review pull requests.", "You review diffs.", StringComparison.Ordinal))).Should().NotBe(baseline);
        Digest(HookHarness.DirectStack(HookHarness.DefaultModels.Replace("warm: true", "warm: false", StringComparison.Ordinal))).Should().NotBe(baseline);
        Digest(HookHarness.DirectStack(removeUndeclared: true)).Should().NotBe(baseline);
        Digest(HookHarness.DirectStack(HookHarness.DefaultModels.Replace("name: llama3.2\n", "name: llama3.2:latest\n", StringComparison.Ordinal))).Should().Be(baseline, "llama3.2 and llama3.2:latest are the same model");
    }

    [Fact]
    public void Disabled_hooks_add_no_command()
    {
        var spec = HookHarness.Parse(HookHarness.DirectStack(hooks: "enabled: false"));

        Compiler.Compile(spec).Resources.Should().NotContain(r => r.Type == "command:local:Command");
    }

    [Fact]
    public void Hooks_reach_each_instance_through_the_proxy_pinned_by_name_or_on_its_published_port()
    {
        var gpu = Stacks.Load("gpu-box");
        var a = HookPlan.For(gpu, gpu.Instances.Single(i => i.Name == "ollama-a"));
        a.BaseUrl.Should().Be(new Uri("https://ollama.home.arpa/"));
        a.PinnedInstance.Should().Be("ollama-a", "a load-balanced route must not decide where a pull goes");
        a.Credential.Should().Be(new CredentialVariable("HOMELAB_BEARER_ciToken", "ciToken"));
        a.ProxyRequiresAuth.Should().BeTrue();

        var local = Stacks.Load("local");
        HookPlan.For(local, local.Instances[0]).BaseUrl.Should().Be(new Uri("http://localhost:8080/"));

        var direct = HookHarness.Parse(HookHarness.DirectStack());
        var plan = HookPlan.For(direct, direct.Instances[0]);
        plan.BaseUrl.Should().Be(new Uri("http://127.0.0.1:11434/"));
        plan.Credential.Should().BeNull();
        plan.PinnedInstance.Should().BeNull();
        plan.PullTargets().Select(t => t.Written).Should().Equal("llama3.2", "nomic-embed-text", "qwen2.5-coder:7b");
    }

    [Fact]
    public void A_proxy_with_only_basic_auth_is_refused_for_proxied_hooks()
    {
        var yaml = """
            hosts:
              lab: { kind: docker, engine: local, address: 127.0.0.1 }
            instances:
              a: { host: lab }
            proxy:
              host: lab
              tls: off
              auth:
                basicAuth: [{ user: alice, passwordHash: aliceHash }]
              routes: [{ to: [a] }]
            """;

        var load = () => HookHarness.Parse(yaml);

        load.Should().Throw<StackFileException>().Which.Diagnostics.Should().ContainSingle().Which.ToString().Should().StartWith("stacks/lab.yaml:6:3: the proxy accepts only basic auth");
    }
}
