using System.Globalization;

using HomeLab.Spec;

using OllamaSharp.Models;

namespace HomeLab.Hooks;

/// <summary>
/// Proof that a model on a GPU instance runs on the GPU: right after verify loaded it, /api/ps must show its
/// size_vram covering its size (or the share the stack sets with hooks minVramShare). What Ollama v0.32.15 reports,
/// and so what this check can and cannot prove:
/// <list type="bullet">
/// <item>Runners are keyed by model file (server/sched.go schedulerModelKey), so a custom model that changes only the
/// system prompt or sampling parameters answers on its base's runner, and /api/ps lists the runner under the name of
/// the model that loaded it (server/routes.go PsHandler): the runner is found through the model's base.</item>
/// <item>size and size_vram come from llama-server's own memory report (llm/llama_server.go MemorySize); when that
/// report cannot be read both are the model file's size, whatever runs where — no proof.</item>
/// <item>An MLX (safetensors) model reports all of its memory as GPU memory (x/mlxrunner/client.go MemorySize) — no
/// proof either.</item>
/// </list>
/// </summary>
internal static class GpuCheck
{
    public const string Name = "runs on the GPU";

    public static async Task RunAsync(HookRun run, ModelSpec model, CancellationToken cancel)
    {
        var loaded = await run.RetryAsync(run.Connection.PsAsync, cancel).ConfigureAwait(false);
        var root = run.Plan.RunnerRoot(model.Name);
        var running = loaded.FirstOrDefault(m => Listed(m).Equals(model.Name)) ?? loaded.FirstOrDefault(m => run.Plan.RunnerRoot(Listed(m)).Equals(root));
        if (running is null || running.Size <= 0)
        {
            var through = root.Equals(model.Name) ? "" : $" (nor is its base '{root}', whose runner it shares)";
            run.Check(Name, model.Name, false, $"not in /api/ps right after it answered{through}, so its GPU use cannot be read");
            return;
        }

        var via = Listed(running).Equals(model.Name) ? "" : $" on the runner of '{running.Name}', which it shares (same model file)";
        if (running.Details?.Format is "safetensors")
        {
            run.Unproven(Name, model.Name, $"an MLX (safetensors) model{via}: Ollama's MLX runner lists all of its memory as GPU memory (size_vram = size), so /api/ps cannot show where it runs");
            return;
        }

        if (running.SizeVram == running.Size && run.Sizes.TryGetValue(Listed(running), out var onDisk) && running.Size <= onDisk)
        {
            run.Unproven(Name, model.Name, $"/api/ps lists {Durations.Bytes(running.Size)}{via}, no more than its files on disk: Ollama could not read llama-server's memory report and fell back to the file size for both size and size_vram, so it cannot show where the model runs; Ollama's log says how many layers it offloaded");
            return;
        }

        var share = Math.Min(1, (double)running.SizeVram / running.Size);
        run.Models[model.Name].VramShare = Math.Round(share, 3);
        var percent = Percent(share);
        var wanted = run.Plan.MinVramShare;
        if (share >= wanted - 1e-9)
        {
            run.Check(Name, model.Name, true, $"{percent} of {Durations.Bytes(running.Size)} in GPU memory{via}");
            return;
        }

        var others = loaded.Where(m => m != running && m.SizeVram > 0).Select(m => $"'{m.Name}'").ToList();
        var where = running.SizeVram == 0 ? "running on CPU" : $"running on CPU in part ({percent} in GPU memory, {Percent(wanted)} required){via}";
        var besides = others.Count == 0 || running.SizeVram == 0 ? ""
            : $"; it was loaded while {string.Join(", ", others)} held GPU memory, and it still did not fit: Ollama loads a later model beside others only when it is predicted to fit fully (server/sched.go load, requireFull), so the prediction fell short or num_gpu asks for a partial offload";
        run.Check(Name, model.Name, false, $"{where}{besides} though instance '{run.Plan.Instance}' has {Article(run.Plan.Gpu)} GPU — {run.Plan.GpuCauses}; "
            + "a model larger than the GPU's memory also spills to CPU (pick a smaller model or quantisation, or lower hooks minVramShare)");
    }

    private static ModelName Listed(RunningModel running) => ModelName.Parse(running.Name ?? running.ModelName ?? "");

    private static string Article(GpuVendor vendor) => vendor switch
    {
        GpuVendor.Nvidia => "an NVIDIA",
        GpuVendor.Amd => "an AMD",
        _ => "an Intel",
    };

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
