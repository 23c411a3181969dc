using HomeLab.Spec;

namespace HomeLab.Tests.Hooks;

/// <summary>Model names resolve as ollama types/model/name.go resolves them (ParseName, DisplayShortest, EqualFold).</summary>
public class ModelNameTests
{
    [Theory]
    [InlineData("llama3.2", "registry.ollama.ai/library/llama3.2:latest", "llama3.2:latest")]
    [InlineData("Qwen2.5", "registry.ollama.ai/library/qwen2.5:latest", "Qwen2.5:latest")]
    [InlineData("registry.ollama.ai/library/llama3.2:1b", "registry.ollama.ai/library/llama3.2:1b", "llama3.2:1b")]
    [InlineData("me/bot:v1", "registry.ollama.ai/me/bot:v1", "me/bot:v1")]
    [InlineData("registry.lan:5000/team/model:q4", "registry.lan:5000/team/model:q4", "registry.lan:5000/team/model:q4")]
    public void A_name_gets_Ollamas_defaults_and_its_shortest_form(string written, string key, string shortest)
    {
        var name = ModelName.Parse(written);

        name.Key.Should().Be(key);
        name.Shortest.Should().Be(shortest);
        name.ToString().Should().Be(written);
    }

    [Fact]
    public void Names_Ollama_treats_as_one_model_are_equal()
    {
        ModelName.Parse("Llama3.2").Should().Be(ModelName.Parse("registry.ollama.ai/library/llama3.2:latest"));
        ModelName.Parse("llama3.2:1b").Should().NotBe(ModelName.Parse("llama3.2:3b"));
        new HashSet<ModelName> { ModelName.Parse("qwen2.5"), ModelName.Parse("QWEN2.5:LATEST") }.Should().ContainSingle();
    }

    [Theory]
    [InlineData("llama3.2:1b", null)]
    [InlineData("my.team/bot:1", "has an invalid namespace 'my.team' (letters, digits, '_', '-' only)")]
    [InlineData("-llama", "has an invalid part '-llama' (letters, digits, '_', '.', '-' only)")]
    [InlineData("a/b/c/d", "has too many '/' parts (at most host/namespace/model)")]
    [InlineData("llama:", "has an empty part")]
    public void Problems_follow_Ollamas_part_rules(string written, string? problem) =>
        ModelName.Problem(written).Should().Be(problem);
}
