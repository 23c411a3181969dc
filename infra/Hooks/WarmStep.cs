using System.Diagnostics;

using HomeLab.Ollama;
using HomeLab.Spec;

namespace HomeLab.Hooks;

/// <summary>
/// Loads the models declared warm, last, so they are the ones loaded when the hooks finish, and checks /api/ps holds
/// them. Ollama v0.32.15 does not evict the least recently used model: when a new model needs a slot
/// (OLLAMA_MAX_LOADED_MODELS) or does not fit beside the loaded ones (a model after the first must fit fully, server/
/// sched.go load, requireFull), it unloads an idle runner, the one with the shortest keep-alive first and then by model
/// file path (findRunnerToUnload, ByDurationAndName) — an order the hooks cannot steer by loading order, since
/// every model verify loaded carries the same keep-alive. So the step first unloads the declared models that are not
/// warm (empty prompt, keep_alive 0: server/routes.go GenerateHandler, sched.go expireRunner); the warm models then
/// load into free slots and evict nothing, unless they cannot all fit, which the check then explains.
/// </summary>
internal static class WarmStep
{
    private const string EmbeddingInput = "homelab health check";

    public static async Task<string?> RunAsync(HookRun run, CancellationToken cancel)
    {
        var warm = run.Plan.Models.Where(m => m.Warm && run.IsPresent(m.Name)).ToList();
        if (warm.Count == 0)
        {
            return "no models to warm";
        }

        var warmRoots = warm.Select(m => run.Plan.RunnerRoot(m.Name)).ToHashSet();
        await UnloadOthersAsync(run, warmRoots, cancel).ConfigureAwait(false);
        foreach (var model in warm)
        {
            var state = run.Models[model.Name];
            var clock = Stopwatch.StartNew();
            try
            {
                var loadNs = model.Kind is ModelKind.Embedding
                    ? (await run.RetryAsync(token => run.Connection.EmbedAsync(model.Name.Written, EmbeddingInput, run.KeepAlive, run.Options.LoadTimeout, token), cancel).ConfigureAwait(false)).LoadDuration
                    : (await run.RetryAsync(token => run.Connection.GenerateAsync(model.Name.Written, null, run.KeepAlive, null, run.Options.LoadTimeout, token), cancel).ConfigureAwait(false)).LoadDuration;
                state.LoadMs ??= Durations.FromNanoseconds(loadNs);
                state.WarmMs = Durations.Milliseconds(clock.Elapsed);
                run.Console.Line($"warmed '{model.Name}' in {Durations.Text(clock.Elapsed)}{(run.Plan.KeepAlive is { } k ? $", kept loaded for {k}" : "")}");
            }
            catch (OllamaException e) when (e.Kind is not FailureKind.Unauthorized and not FailureKind.Untrusted)
            {
                run.Fail(state, $"model '{model.Name}': warm-up failed: {e.Message}");
            }
        }

        var loaded = (await run.RetryAsync(run.Connection.PsAsync, cancel).ConfigureAwait(false))
            .Select(m => (Root: run.Plan.RunnerRoot(ModelName.Parse(m.Name ?? m.ModelName ?? "")), Running: m))
            .GroupBy(m => m.Root)
            .ToDictionary(g => g.Key, g => g.First().Running);
        var warmed = warm.Where(m => run.Models[m.Name].WarmMs is not null).ToList();
        foreach (var model in warmed)
        {
            var isLoaded = loaded.TryGetValue(run.Plan.RunnerRoot(model.Name), out var running);
            run.Check("loaded after warm-up", model.Name, isLoaded, isLoaded
                ? $"loaded until {running!.ExpiresAt.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'}"
                : $"not in /api/ps after warm-up — {WhyEvicted(run, warmRoots.Count)}");
        }

        return $"{warmed.Count} of {warm.Count} warmed";
    }

    /// <summary>Unloads what verify loaded that is not warm and runs on no warm model's runner (a shared runner stays).</summary>
    private static async Task UnloadOthersAsync(HookRun run, HashSet<ModelName> warmRoots, CancellationToken cancel)
    {
        var ours = run.Plan.Kept();
        var running = await run.RetryAsync(run.Connection.PsAsync, cancel).ConfigureAwait(false);
        foreach (var name in running.Select(m => ModelName.Parse(m.Name ?? m.ModelName ?? "")).Where(n => ours.Contains(n) && !warmRoots.Contains(run.Plan.RunnerRoot(n))))
        {
            try
            {
                await run.RetryAsync(token => run.Connection.GenerateAsync(name.Written, null, "0", null, run.Options.LoadTimeout, token), cancel).ConfigureAwait(false);
            }
            catch (OllamaException e) when (e.Kind is not FailureKind.Unauthorized and not FailureKind.Untrusted)
            {
                run.Console.Line($"could not unload '{name}' before the warm-up ({e.Message}); Ollama may evict a warm model for it");
            }
        }
    }

    /// <summary>Why a warm model is not loaded, with advice that would work: more slots only when slots are what ran out.</summary>
    private static string WhyEvicted(HookRun run, int runners)
    {
        var slots = run.Plan.ModelSlots;
        var shared = runners < run.Plan.Models.Count(m => m.Warm) ? $" ({runners} runners: custom models share their base's)" : "";
        return slots is { } count && runners > count
            ? $"{runners} warm models{shared} need {runners} runners, and Ollama keeps at most {count} loaded (OLLAMA_MAX_LOADED_MODELS; 3 per GPU by default, server/sched.go); raise tuning maxLoadedModels to {runners}, or declare fewer models warm"
            : $"the warm models{shared} do not fit in memory together: Ollama loads a model beside others only when it is predicted to fit fully and otherwise unloads an idle one (server/sched.go load, requireFull; findRunnerToUnload), so raising maxLoadedModels would not help; declare fewer models warm, choose smaller models or quantisations, or lower contextLength"
                + (slots is null ? $" (or, if the host has fewer than {(runners + 2) / 3} GPUs, set tuning maxLoadedModels to {runners}: Ollama allows 3 per GPU)" : "");
    }
}
