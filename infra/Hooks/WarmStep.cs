using System.Diagnostics;

using HomeLab.Ollama;
using HomeLab.Spec;

namespace HomeLab.Hooks;

/// <summary>
/// Loads the models declared warm and checks /api/ps holds them. It runs last, after verify: verify loads every
/// model in turn, and Ollama evicts the least recently used one beyond OLLAMA_MAX_LOADED_MODELS
/// (server/sched.go), so a warm-up done earlier would not survive the run.
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
            .GroupBy(m => ModelName.Parse(m.Name ?? m.ModelName ?? ""))
            .ToDictionary(g => g.Key, g => g.First());
        var warmed = warm.Where(m => run.Models[m.Name].WarmMs is not null).ToList();
        foreach (var model in warmed)
        {
            var isLoaded = loaded.TryGetValue(model.Name, out var running);
            run.Check("loaded after warm-up", model.Name, isLoaded, isLoaded
                ? $"loaded until {running!.ExpiresAt.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'}"
                : $"not in /api/ps after warm-up{(warmed.Count > 1 ? $" — {warmed.Count} models are declared warm; raise tuning maxLoadedModels (OLLAMA_MAX_LOADED_MODELS) or memory so they fit at once" : "")}");
        }

        return $"{warmed.Count} of {warm.Count} warmed";
    }
}
