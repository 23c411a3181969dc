using HomeLab.Hooks;
using HomeLab.Tests.Hooks.StandIn;

namespace HomeLab.Tests.Hooks;

/// <summary>On an instance with a GPU, verify proves from /api/ps size_vram that each chat model runs on it.</summary>
public class GpuProofTests
{
    private static string GpuStack(string gpu = "nvidia", string hooks = "readyTimeout: 10s, stallTimeout: 1s") =>
        HookHarness.DirectStack("          - llama3.2:1b\n          - nomic-embed-text", hooks).Replace("    publish:", $"    gpu: {gpu}\n    publish:", StringComparison.Ordinal);

    [Fact]
    public async Task A_model_in_GPU_memory_passes_and_the_report_gives_its_share_and_speed()
    {
        await using var ollama = await StandInAsync(8L << 30);

        var run = await HookHarness.RunAsync(GpuStack(), ollama.Url);

        run.Report.Ok.Should().BeTrue(string.Join("\n", run.Report.Failures));
        run.Report.Checks.Should().ContainSingle(c => c.Check == GpuCheck.Name).Which.Detail.Should().StartWith("100% of ");
        run.Report.Models.Single(m => m.Name == "llama3.2:1b").Should().Match<ModelReport>(m => m.VramShare == 1 && m.TokensPerSecond == 50);
    }

    [Fact]
    public async Task A_model_on_CPU_fails_naming_the_model_and_the_likely_causes()
    {
        await using var ollama = await StandInAsync(null);

        var run = await HookHarness.RunAsync(GpuStack(), ollama.Url);

        run.Report.Failures.Should().ContainSingle().Which.Should()
            .StartWith("model 'llama3.2:1b': check failed: runs on the GPU: running on CPU though instance 'ollama' has an NVIDIA GPU — ")
            .And.Contain("NVIDIA Container Toolkit").And.Contain("driver");
        run.Report.Models.Single(m => m.Name == "llama3.2:1b").VramShare.Should().Be(0);
    }

    [Fact]
    public async Task On_AMD_the_causes_name_the_ROCm_devices()
    {
        await using var ollama = await StandInAsync(null);

        var run = await HookHarness.RunAsync(GpuStack("amd").Replace("ollama/ollama:0.32.15", "ollama/ollama:0.32.15-rocm", StringComparison.Ordinal), ollama.Url);

        run.Report.Failures.Should().ContainSingle().Which.Should().Contain("has an AMD GPU").And.Contain("/dev/kfd and /dev/dri");
    }

    [Fact]
    public async Task A_model_split_between_GPU_and_CPU_fails_unless_the_stack_accepts_that_share()
    {
        await using var ollama = await StandInAsync(800L << 10);

        var strict = await HookHarness.RunAsync(GpuStack(), ollama.Url);
        var lenient = await HookHarness.RunAsync(GpuStack(hooks: "readyTimeout: 10s, minVramShare: 0.5"), ollama.Url);

        strict.Report.Failures.Should().ContainSingle().Which.Should().Contain("running on CPU in part (").And.Contain("in GPU memory, 100% required)");
        lenient.Report.Ok.Should().BeTrue(string.Join("\n", lenient.Report.Failures));
    }

    [Fact]
    public async Task Without_a_GPU_in_the_stack_there_is_no_GPU_check()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("llama3.2:1b");

        var run = await HookHarness.RunAsync(HookHarness.DirectStack("          - llama3.2:1b"), ollama.Url);

        run.Report.Ok.Should().BeTrue();
        run.Report.Checks.Should().NotContain(c => c.Check == GpuCheck.Name);
    }

    /// <summary>A stand-in holding a chat and an embedding model, with <paramref name="gpuMemory"/> bytes of GPU memory (null: none usable).</summary>
    private static async Task<OllamaStandIn> StandInAsync(long? gpuMemory)
    {
        var ollama = await OllamaStandIn.StartAsync();
        ollama.GpuMemory = gpuMemory;
        ollama.Install("llama3.2:1b");
        ollama.Install("nomic-embed-text", "embedding");
        return ollama;
    }
}
