using System.Globalization;

using HomeLab.Spec;

namespace HomeLab.Hooks;

/// <summary>
/// Proof that a model on a GPU instance runs on the GPU: right after verify loaded it, /api/ps must show its
/// size_vram covering its size (or the share the stack sets with hooks minVramShare). Ollama reports the part of a
/// loaded model that sits in GPU memory as size_vram (server/routes.go PsHandler; server/sched.go); 0 means it runs
/// on CPU, a part means it is split.
/// </summary>
internal static class GpuCheck
{
    public const string Name = "runs on the GPU";

    public static async Task RunAsync(HookRun run, ModelSpec model, CancellationToken cancel)
    {
        var loaded = await run.RetryAsync(run.Connection.PsAsync, cancel).ConfigureAwait(false);
        var running = loaded.FirstOrDefault(m => ModelName.Parse(m.Name ?? m.ModelName ?? "").Equals(model.Name));
        if (running is null || running.Size <= 0)
        {
            run.Check(Name, model.Name, false, "not in /api/ps right after it answered, so its GPU use cannot be read");
            return;
        }

        var share = Math.Min(1, (double)running.SizeVram / running.Size);
        run.Models[model.Name].VramShare = Math.Round(share, 3);
        var percent = Percent(share);
        var wanted = run.Plan.MinVramShare;
        if (share >= wanted - 1e-9)
        {
            run.Check(Name, model.Name, true, $"{percent} of {Durations.Bytes(running.Size)} in GPU memory");
            return;
        }

        var where = running.SizeVram == 0 ? "running on CPU" : $"running on CPU in part ({percent} in GPU memory, {Percent(wanted)} required)";
        run.Check(Name, model.Name, false, $"{where} though instance '{run.Plan.Instance}' has {Article(run.Plan.Gpu)} GPU — {run.Plan.GpuCauses}; "
            + "a model larger than the GPU's memory also spills to CPU (pick a smaller model or quantisation, or lower hooks minVramShare)");
    }

    private static string Article(GpuVendor vendor) => vendor switch
    {
        GpuVendor.Nvidia => "an NVIDIA",
        GpuVendor.Amd => "an AMD",
        _ => "an Intel",
    };

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
