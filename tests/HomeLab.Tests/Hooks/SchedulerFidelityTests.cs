using HomeLab.Hooks;
using HomeLab.Tests.Hooks.StandIn;

namespace HomeLab.Tests.Hooks;

/// <summary>
/// Warm-up and the GPU proof against a stand-in that schedules as Ollama v0.32.15 does (server/sched.go: runners by
/// model file, findRunnerToUnload, requireFull; memory reports from llama-server, the file-size fallback and MLX).
/// </summary>
public class SchedulerFidelityTests
{
    /// <summary>
    /// Four models, two warm, in an order where loading the warm ones after verify, with every runner on the same
    /// keep-alive, would evict one warm model for the other (ByDurationAndName falls back to the model path, the
    /// blob digest: charlie's sorts before delta's and before bravo's).
    /// </summary>
    private const string FourModelsTwoWarm = """
                  - alpha:1b
                  - name: charlie:1b
                    warm: true
                  - bravo:1b
                  - name: delta:1b
                    warm: true
        """;

    private static string GpuStack(string models) =>
        HookHarness.DirectStack(models, "readyTimeout: 10s, stallTimeout: 1s").Replace("    publish:", "    gpu: { vendor: nvidia, count: 1 }\n    publish:", StringComparison.Ordinal);

    private static async Task<OllamaStandIn> StandInAsync(params string[] models)
    {
        var ollama = await OllamaStandIn.StartAsync();
        foreach (var model in models)
        {
            ollama.Install(model);
        }

        return ollama;
    }

    [Fact]
    public async Task Two_warm_models_of_four_are_both_loaded_at_the_end()
    {
        await using var ollama = await StandInAsync("alpha:1b", "bravo:1b", "charlie:1b", "delta:1b");
        ollama.MaxLoadedModels = 2;

        var run = await HookHarness.RunAsync(HookHarness.DirectStack(FourModelsTwoWarm).Replace("keepAlive: 10m", "keepAlive: 10m, maxLoadedModels: 2", StringComparison.Ordinal), ollama.Url);

        run.Report.Failures.Should().BeEmpty();
        run.Report.Checks.Where(c => c.Check == "loaded after warm-up").Select(c => (c.Model, c.Ok)).Should().BeEquivalentTo([("charlie:1b", true), ("delta:1b", true)]);
        ollama.LoadedModels.Should().Equal("charlie:1b", "delta:1b");
    }

    [Fact]
    public async Task More_warm_runners_than_slots_asks_for_the_slots_that_would_hold_them()
    {
        await using var ollama = await StandInAsync("alpha:1b", "bravo:1b", "charlie:1b");
        ollama.MaxLoadedModels = 2;
        var models = "          - { name: alpha:1b, warm: true }\n          - { name: bravo:1b, warm: true }\n          - { name: charlie:1b, warm: true }";

        var run = await HookHarness.RunAsync(HookHarness.DirectStack(models).Replace("keepAlive: 10m", "keepAlive: 10m, maxLoadedModels: 2", StringComparison.Ordinal), ollama.Url);

        run.Report.Failures.Should().ContainSingle().Which.Should().Contain("3 warm models need 3 runners").And.Contain("raise tuning maxLoadedModels to 3");
    }

    [Fact]
    public async Task Warm_models_that_do_not_fit_together_say_so_and_do_not_ask_for_more_slots()
    {
        await using var ollama = await StandInAsync("bravo:1b", "delta:1b");
        ollama.GpuMemory = 2 << 20;

        var run = await HookHarness.RunAsync(GpuStack("          - { name: bravo:1b, warm: true }\n          - { name: delta:1b, warm: true }"), ollama.Url);

        run.Report.Failures.Should().ContainSingle().Which.Should().Contain("do not fit in memory together").And.Contain("raising maxLoadedModels would not help")
            .And.Contain("requireFull");
        ollama.LoadedModels.Should().ContainSingle();
    }

    /// <summary>
    /// One model file, one runner (sched.go schedulerModelKey), listed under the model that loaded it: a custom model
    /// that changes only the system prompt or sampling answers on its base's runner; one that changes a runner option
    /// (num_ctx) has the runner restarted for it (needsReload). Either way its GPU proof finds the runner.
    /// </summary>
    [Theory]
    [InlineData("{ name: reviewer, from: llama3.2:1b, system: You review., parameters: { temperature: 0.2 } }", "reviewer", "llama3.2:1b", " on the runner of 'llama3.2:1b'")]
    [InlineData("{ name: long, from: llama3.2:1b, parameters: { num_ctx: 16384 } }", "long", "long:latest", "")]
    public async Task A_custom_model_is_proven_on_the_runner_of_its_model_file(string custom, string name, string runner, string via)
    {
        await using var ollama = await StandInAsync("llama3.2:1b");
        ollama.GpuMemory = 8L << 30;

        var run = await HookHarness.RunAsync(GpuStack($"          - llama3.2:1b\n          - {custom}"), ollama.Url);

        run.Report.Failures.Should().BeEmpty();
        ollama.LoadedModels.Should().Equal(runner);
        var proof = run.Report.Checks.Single(c => c.Check == GpuCheck.Name && c.Model == name);
        proof.Result.Should().Be("passed");
        proof.Detail.Should().StartWith("100% of ").And.Contain($"in GPU memory{via}");
    }

    [Fact]
    public async Task An_MLX_model_is_unproven_not_passed()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Publish("mlx/qwen3:4b", 1 << 20, format: "safetensors");
        ollama.GpuMemory = 8L << 30;

        var run = await HookHarness.RunAsync(GpuStack("          - mlx/qwen3:4b"), ollama.Url);

        var proof = run.Report.Checks.Single(c => c.Check == GpuCheck.Name);
        proof.Result.Should().Be("unproven");
        proof.Ok.Should().BeFalse();
        proof.Detail.Should().Contain("MLX").And.Contain("size_vram = size");
        run.Report.Failures.Should().BeEmpty("Ollama gives no evidence either way; that is not a failure of the instance");
        run.Report.Models.Single().BytesPulled.Should().Be(1 << 20, "pullWithTransfer's single 'sha256:model' progress counts every blob");
        run.Log.Should().Contain("unproven");
    }

    [Fact]
    public async Task A_file_size_fallback_report_is_unproven_not_passed()
    {
        await using var ollama = await StandInAsync("llama3.2:1b");
        ollama.GpuMemory = null;
        ollama.MemoryReportFallback = true;

        var run = await HookHarness.RunAsync(GpuStack("          - llama3.2:1b"), ollama.Url);

        var proof = run.Report.Checks.Single(c => c.Check == GpuCheck.Name);
        proof.Result.Should().Be("unproven", "the model runs on CPU here, yet /api/ps says size_vram = size: the fallback proves nothing");
        proof.Detail.Should().Contain("fell back to the file size");
    }

    [Fact]
    public async Task Deleting_a_loaded_model_leaves_its_runner_loaded()
    {
        await using var ollama = await StandInAsync("llama3.2:1b", "stale:1b");

        var first = await HookHarness.RunAsync(HookHarness.DirectStack("          - llama3.2:1b\n          - { name: stale:1b, warm: true }"), ollama.Url);
        var pruned = await HookHarness.RunAsync(HookHarness.DirectStack("          - llama3.2:1b", removeUndeclared: true), ollama.Url);

        first.Report.Failures.Should().BeEmpty();
        pruned.Report.Removed.Should().Equal("stale:1b");
        ollama.InstalledModels.Should().Equal("llama3.2:1b");
        ollama.LoadedModels.Should().Contain("stale:1b", "server/routes.go DeleteHandler removes the manifest and layers, never the runner");
    }
}
