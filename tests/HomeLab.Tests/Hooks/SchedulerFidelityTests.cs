using HomeLab.Hooks;
using HomeLab.Tests.Hooks.StandIn;

namespace HomeLab.Tests.Hooks;

/// <summary>
/// Warm-up and the GPU proof against a stand-in that schedules as Ollama v0.32.15 does (server/sched.go: runners by
/// model file, findRunnerToUnload, requireFull; memory reports from llama-server, the file-size fallback and MLX).
/// </summary>
public class SchedulerFidelityTests
{
    private const string FourModelsTwoWarm = """
                  - alpha:1b
                  - name: bravo:1b
                    warm: true
                  - charlie:1b
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
        run.Report.Checks.Where(c => c.Check == "loaded after warm-up").Select(c => (c.Model, c.Ok)).Should().BeEquivalentTo([("bravo:1b", true), ("delta:1b", true)]);
        ollama.LoadedModels.Should().Equal("bravo:1b", "delta:1b");
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

    [Fact]
    public async Task A_custom_model_runs_on_its_base_runner_and_its_GPU_proof_passes()
    {
        await using var ollama = await StandInAsync("llama3.2:1b");
        ollama.GpuMemory = 8L << 30;
        var models = "          - llama3.2:1b\n          - { name: reviewer, from: llama3.2:1b, system: You review., parameters: { temperature: 0.2 } }";

        var run = await HookHarness.RunAsync(GpuStack(models), ollama.Url);

        run.Report.Failures.Should().BeEmpty();
        ollama.LoadedModels.Should().Equal(["llama3.2:1b"], "one model file, one runner, listed under the model that loaded it");
        var proof = run.Report.Checks.Single(c => c.Check == GpuCheck.Name && c.Model == "reviewer");
        proof.Result.Should().Be("passed");
        proof.Detail.Should().StartWith("100% of ").And.Contain("on the runner of 'llama3.2:1b'");
    }

    [Fact]
    public async Task A_custom_model_with_other_runner_options_reloads_the_runner_under_its_own_name()
    {
        await using var ollama = await StandInAsync("llama3.2:1b");
        ollama.GpuMemory = 8L << 30;
        var models = "          - llama3.2:1b\n          - { name: long, from: llama3.2:1b, parameters: { num_ctx: 16384 } }";

        var run = await HookHarness.RunAsync(GpuStack(models), ollama.Url);

        run.Report.Failures.Should().BeEmpty();
        ollama.LoadedModels.Should().Equal(["long:latest"], "needsReload: num_ctx is a runner option, so the same file's runner was restarted for 'long'");
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
