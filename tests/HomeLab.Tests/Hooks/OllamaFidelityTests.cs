using System.Text.Json;
using System.Text.Json.Nodes;

using HomeLab.Hooks;
using HomeLab.Tests.Hooks.StandIn;

namespace HomeLab.Tests.Hooks;

/// <summary>The hooks against an Ollama that names, stores, streams and schedules models as ollama's source does.</summary>
public class OllamaFidelityTests
{
    [Fact]
    public async Task A_full_registry_name_is_recognised_as_the_short_name_Ollama_lists()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("llama3.2:1b");

        var run = await HookHarness.RunAsync(HookHarness.DirectStack("          - registry.ollama.ai/library/llama3.2:1b", removeUndeclared: true), ollama.Url);

        run.Report.Ok.Should().BeTrue(string.Join("\n", run.Report.Failures));
        run.Report.Models.Should().ContainSingle().Which.State.Should().Be("present");
        run.Report.Removed.Should().BeEmpty();
        ollama.PullAttempts.Should().BeEmpty("nothing is pulled again");
        ollama.InstalledModels.Should().Equal("llama3.2:1b");
    }

    [Fact]
    public async Task A_name_in_another_case_is_the_model_Ollama_already_has()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("qwen2.5:latest");
        ollama.Install("old-model:1");

        var run = await HookHarness.RunAsync(HookHarness.DirectStack("          - Qwen2.5", removeUndeclared: true), ollama.Url);

        run.Report.Ok.Should().BeTrue(string.Join("\n", run.Report.Failures));
        run.Report.Removed.Should().Equal("old-model:1");
        ollama.InstalledModels.Should().Equal("qwen2.5:latest");
        ollama.PullAttempts.Should().BeEmpty();
    }

    [Fact]
    public async Task Parameters_go_out_in_the_types_Ollama_loads_and_a_second_run_finds_them_unchanged()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("llama3.2:1b");
        const string Models = """
                      - name: bot
                        from: llama3.2:1b
                        parameters: { use_mmap: true, stop: ["<|end|>", "###"], num_ctx: 1048576, temperature: 0.2 }
            """;

        var first = await HookHarness.RunAsync(HookHarness.DirectStack(Models), ollama.Url);
        var second = await HookHarness.RunAsync(HookHarness.DirectStack(Models), ollama.Url);

        first.Report.Ok.Should().BeTrue(string.Join("\n", first.Report.Failures));
        var sent = ollama.RequestsTo("/api/create").Should().ContainSingle().Subject.Body!["parameters"]!;
        sent["use_mmap"]!.GetValueKind().Should().Be(JsonValueKind.True);
        sent["stop"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("<|end|>", "###");
        sent["num_ctx"]!.GetValue<long>().Should().Be(1_048_576);
        sent["temperature"]!.GetValue<double>().Should().Be(0.2);
        second.Report.Ok.Should().BeTrue(string.Join("\n", second.Report.Failures));
        second.Report.Models.Single(m => m.Name == "bot").State.Should().Be("unchanged", "Ollama shows num_ctx as 1.048576e+06, in any order");
    }

    [Fact]
    public async Task Frozen_progress_counts_as_a_stall_and_the_pull_is_retried()
    {
        await using var ollama = await FrozenAsync(times: 1);

        var run = await HookHarness.RunAsync(HookHarness.DirectStack("          - llama3.2:1b"), ollama.Url);

        run.Report.Ok.Should().BeTrue(string.Join("\n", run.Report.Failures));
        run.Log.Should().Contain("pull of 'llama3.2:1b': no bytes arrived for 1s though Ollama kept reporting progress (the registry download is stuck); retrying in");
        run.Report.Models.Single().Should().Match<ModelReport>(m => m.PullAttempts == 2 && m.BytesPulled == 4_000_000);
    }

    [Fact]
    public async Task A_pull_that_never_finishes_gives_up_at_the_pull_timeout()
    {
        await using var ollama = await FrozenAsync(times: 1000);
        var options = HookHarness.Fast with { Attempts = 1000 };

        var run = await HookHarness.RunAsync(HookHarness.DirectStack("          - llama3.2:1b", "stallTimeout: 1s, pullTimeout: 2s"), ollama.Url, options: options);

        run.Report.Failures.Should().ContainSingle().Which.Should().StartWith("model 'llama3.2:1b': the pull did not finish within pullTimeout (2s; ")
            .And.EndWith("raise hooks pullTimeout for a slow link, or pull it by hand");
    }

    [Fact]
    public async Task Bytes_pulled_are_exact_though_Ollama_never_reports_a_layers_last_bytes()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Faults.ChunkBytes = 3_000_000;
        ollama.Publish("llama3.2:1b", 10_000_000);

        var run = await HookHarness.RunAsync(HookHarness.DirectStack("          - llama3.2:1b"), ollama.Url);

        run.Report.Models.Single().BytesPulled.Should().Be(10_000_000);
    }

    [Fact]
    public async Task The_model_declared_warm_is_the_one_loaded_when_the_hooks_finish()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.MaxLoadedModels = 1;
        ollama.Install("llama3.2:1b");
        ollama.Install("qwen2.5:0.5b");
        const string Models = """
                      - name: llama3.2:1b
                        warm: true
                      - qwen2.5:0.5b
            """;

        var run = await HookHarness.RunAsync(HookHarness.DirectStack(Models), ollama.Url);

        run.Report.Ok.Should().BeTrue(string.Join("\n", run.Report.Failures));
        ollama.LoadedModels.Should().Equal("llama3.2:1b");
    }

    [Fact]
    public async Task Generate_is_refused_for_an_embedding_model_declared_as_chat()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("nomic-embed-text", "embedding");

        var run = await HookHarness.RunAsync(HookHarness.DirectStack("          - { name: nomic-embed-text, type: chat }"), ollama.Url);

        run.Report.Failures.Should().Equal(
            "model 'nomic-embed-text': check failed: answers a one-token generation: a one-token generation with 'nomic-embed-text': refused with HTTP 400: \"nomic-embed-text\" does not support generate");
    }

    [Fact]
    public void The_stand_in_prints_numbers_as_Go_does()
    {
        GoFormat.Float(8192).Should().Be("8192");
        GoFormat.Float(0.2).Should().Be("0.2");
        GoFormat.Float(1_048_576).Should().Be("1.048576e+06");
        GoFormat.Float(1_000_000).Should().Be("1e+06");
        GoFormat.Float(0.00001).Should().Be("1e-05");
        GoFormat.Float(-1).Should().Be("-1");
        GoFormat.SharpV(JsonValue.Create("a\"b")!).Should().Be("\"a\\\"b\"");
    }

    /// <summary>A registry whose pull of llama3.2:1b (4 MB) freezes halfway <paramref name="times"/> times.</summary>
    private static async Task<OllamaStandIn> FrozenAsync(int times)
    {
        var ollama = await OllamaStandIn.StartAsync();
        ollama.Faults.ChunkBytes = 1_000_000;
        ollama.Publish("llama3.2:1b", 4_000_000);
        ollama.Faults.FrozenMidStream["llama3.2:1b"] = times;
        return ollama;
    }
}
