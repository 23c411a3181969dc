using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests;

/// <summary>The one rule every target follows for Ollama's variables: 'env:' wins over 'tuning:' and over the target's own.</summary>
public class OllamaEnvironmentTests
{
    private static InstanceSpec Instance(string extraYaml) => Stacks.Parse(
        "hosts:\n  box:\n    kind: docker\n    engine: local\n    address: 127.0.0.1\n" +
        "instances:\n  ollama:\n    host: box\n    publish: { port: 11434 }\n    models: [llama3.2:3b]\n" + extraYaml).Instances.Single();

    [Fact]
    public void An_env_entry_replaces_the_same_variable_from_tuning_and_from_the_target()
    {
        var instance = Instance("    tuning: { keepAlive: 5m, numParallel: 2 }\n    env: { OLLAMA_KEEP_ALIVE: 1h, OLLAMA_HOST: '0.0.0.0:9999', ZED: z, ABC: a }\n");

        var variables = OllamaEnvironment.Of(instance, KeyValuePair.Create("OLLAMA_HOST", "0.0.0.0:11434"), KeyValuePair.Create("HOME", "/models"));

        variables.All.GroupBy(v => v.Key).Should().OnlyContain(g => g.Count() == 1, "each variable reaches Ollama once");
        variables.All.Should().Contain(KeyValuePair.Create("OLLAMA_KEEP_ALIVE", "1h")).And.Contain(KeyValuePair.Create("OLLAMA_HOST", "0.0.0.0:9999"));
        variables.Inherited.Select(v => v.Key).Should().Equal("HOME", "OLLAMA_NUM_PARALLEL", "OLLAMA_NO_CLOUD");
        variables.Explicit.Select(v => v.Key).Should().Equal(["OLLAMA_KEEP_ALIVE", "OLLAMA_HOST", "ZED", "ABC"], "the stack's order is kept for targets where order matters");
    }

    [Fact]
    public void Without_env_the_target_and_tuning_variables_come_in_their_stable_order()
    {
        var variables = OllamaEnvironment.Of(Instance("    tuning: { keepAlive: 5m, flashAttention: true }\n"), KeyValuePair.Create("OLLAMA_HOST", "0.0.0.0:11434"));

        variables.Explicit.Should().BeEmpty();
        variables.Inherited.Select(v => $"{v.Key}={v.Value}").Should().Equal("OLLAMA_HOST=0.0.0.0:11434", "OLLAMA_KEEP_ALIVE=5m", "OLLAMA_FLASH_ATTENTION=1", "OLLAMA_NO_CLOUD=1");
    }
}
