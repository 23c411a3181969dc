using System.Text.Json.Nodes;

using HomeLab.Cli;
using HomeLab.Review;
using HomeLab.Tests.Support;
using HomeLab.Tools;

namespace HomeLab.Tests.Review;

/// <summary>
/// homelab diff as a reviewer reads it: what changed in the stack file's words, and whether deploying replaces a
/// resource (a container recreated unloads its models) or updates it in place — against real git repositories.
/// </summary>
public sealed class StackTermsDiffTests : IDisposable
{
    private readonly TempRepo repo = TempRepo.WithExamples();

    public StackTermsDiffTests() => repo.Git("checkout", "--quiet", "-b", "feature");

    public void Dispose() => repo.Dispose();

    private string Diff(DiffFormat format, string stack)
    {
        if (repo.Git("status", "--porcelain").Length > 0)
        {
            repo.Commit("the change under review");
        }

        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = DiffCommand.Run(new Workspace(repo.Root), new DiffRequest(null, format, [stack]), SystemToolRunner.Instance, output, errors);
        code.Should().Be(1, errors.ToString());
        return output.ToString();
    }

    [Fact]
    public void Adding_a_model_names_the_model_and_replaces_nothing_the_hooks_run_again()
    {
        repo.Edit("stacks/local.yaml", "      - name: llama3.2:1b\n        warm: true\n", "      - name: llama3.2:1b\n        warm: true\n      - qwen3:8b\n");

        var text = Diff(DiffFormat.Text, "local");

        text.Should().Contain("\nlocal: 0 to add, 1 to change, 0 to remove\n  deploying it: nothing is replaced; runs again: ollama-hooks\n" +
            "  in the stack file:\n    ~ instance ollama\n        + model qwen3:8b: chat\n" +
            "  ~ ollama-hooks (command:local:Command) — runs again (triggers changed)\n");
        text.Should().NotContain("replaced (");

        var json = JsonNode.Parse(Diff(DiffFormat.Json, "local"))!["stacks"]![0]!;
        json["consequences"]!.GetValue<string>().Should().Be("nothing is replaced; runs again: ollama-hooks");
        json["resources"]!.AsArray().Select(r => r!["effect"]!.GetValue<string>()).Should().Equal("run-again");
        var model = json["spec"]![0]!;
        model["section"]!.GetValue<string>().Should().Be("instance ollama");
        model["settings"]![0]!.ToJsonString().Should().Be("{\"setting\":\"model qwen3:8b\",\"before\":null,\"after\":\"chat\"}");
    }

    [Fact]
    public void A_removed_model_and_a_changed_custom_model_show_base_system_prompt_and_parameters_old_and_new()
    {
        repo.Edit("stacks/gpu-box.yaml",
            "      - nomic-embed-text:v1.5\n      - name: reviewer\n        from: qwen2.5-coder:7b\n        system: |\n          You review pull requests for a home lab. Point out bugs first, then style.\n        parameters:\n          temperature: 0.2\n",
            "      - name: reviewer\n        from: qwen2.5-coder:14b\n        system: |\n          You review pull requests. Bugs only.\n        parameters:\n          temperature: 0.1\n");

        var text = Diff(DiffFormat.Text, "gpu-box");

        text.Should().Contain("\n    ~ instance ollama-a\n" +
            "        ~ model reviewer from: qwen2.5-coder:7b → qwen2.5-coder:14b\n" +
            "        ~ model reviewer system: \"You review pull requests for a home lab. Point out bugs first, then style.\\n\" → \"You review pull requests. Bugs only.\\n\"\n" +
            "        ~ model reviewer parameters.temperature: 0.2 → 0.1\n" +
            "        - model nomic-embed-text:v1.5: embedding\n" +
            "    ~ instance ollama-b\n");
        text.Should().Contain("deploying it: nothing is replaced; runs again: ollama-a-hooks, ollama-b-hooks\n");
    }

    [Fact]
    public void A_tuning_change_is_shown_in_the_stack_words_and_recreates_the_container_because_its_environment_cannot_change_in_place()
    {
        repo.Edit("stacks/local.yaml", "      contextLength: 4096\n", "      contextLength: 8192\n      flashAttention: true\n");

        var text = Diff(DiffFormat.Text, "local");

        text.Should().Contain("    ~ instance ollama\n        ~ tuning.contextLength: 4096 → 8192\n        + tuning.flashAttention: true\n");
        text.Should().Contain("  deploying it: replaced: ollama-container (envs); runs again: ollama-hooks\n");
        text.Should().Contain("  ~ ollama-container (docker:Container) — replaced (envs cannot change in place)\n");
        text.Should().Contain("  ~ ollama-hooks (command:local:Command) — runs again (triggers refers to ollama-container)\n");
    }

    [Fact]
    public void A_gpu_change_replaces_the_container_naming_the_property_and_the_hooks_that_follow_it()
    {
        repo.Edit("stacks/gpu-box.yaml", "      devices: [0]\n", "      devices: [1]\n");

        var markdown = Diff(DiffFormat.Markdown, "gpu-box").Split('\n');

        markdown.Should().Contain("**Deploying it:** replaced: ollama-a-container (deviceRequests); runs again: ollama-a-hooks");
        markdown.Should().Contain("| ~ | `instance ollama-a` | `gpu` | `nvidia, devices [0]` | `nvidia, devices [1]` |");
        markdown.Should().Contain("| ~ | `ollama-a-container` | `docker:Container` | 1 change | replaced (deviceRequests cannot change in place) |");
        markdown.Should().Contain("| ~ | `ollama-a-hooks` | `command:local:Command` | 1 change | runs again (triggers refers to ollama-a-container) |");
    }

    [Fact]
    public void A_new_image_replaces_the_container_because_of_its_image()
    {
        repo.Edit("stacks/local.yaml", "image: ollama/ollama:0.32.15", "image: ollama/ollama:0.32.16");

        var text = Diff(DiffFormat.Text, "local");

        text.Should().Contain("        ~ image: ollama/ollama:0.32.15 → ollama/ollama:0.32.16\n");
        text.Should().Contain("  ~ ollama-container (docker:Container) — replaced (image cannot change in place)\n      image: ${local-ollama-ollama-0-32-15-image.imageId} → ${local-ollama-ollama-0-32-16-image.imageId}\n");
    }

    [Fact]
    public void A_memory_limit_is_updated_in_place_so_the_models_stay_loaded()
    {
        repo.Edit("stacks/local.yaml", "      memory: 6GiB\n", "      memory: 12GiB\n");

        var text = Diff(DiffFormat.Text, "local");

        text.Should().Contain("        ~ resources.memory: 6GiB → 12GiB\n");
        text.Should().Contain("  deploying it: nothing is replaced\n");
        text.Should().Contain("  ~ ollama-container (docker:Container) — updated in place\n      memory: 6144 → 12288\n      memorySwap: 6144 → 12288\n");
    }

    [Fact]
    public void Proxy_credentials_are_shown_by_key_name_and_their_values_stay_masked()
    {
        repo.Edit("stacks/gpu-box.yaml", "bearerTokens: [ciToken, laptopToken]", "bearerTokens: [ciToken, phoneToken]");
        repo.Edit("stacks/gpu-box.yaml", "  tls: internal\n", "  tls: internal\n  bind: 192.168.1.5\n  ports:\n    https: 8443\n");

        var text = Diff(DiffFormat.Text, "gpu-box");

        text.Should().Contain("    ~ proxy\n        ~ ports.https: 443 → 8443\n        ~ bind: 0.0.0.0 → 192.168.1.5\n        ~ auth.bearerTokens: ciToken, laptopToken → ciToken, phoneToken\n");
        text.Should().Contain("  ~ proxy (docker:Container) — replaced (");
        text.Should().Contain("[secret: laptopToken] → [secret: phoneToken]").And.NotContain("${laptopToken}").And.NotContain("${phoneToken}");
    }
}
