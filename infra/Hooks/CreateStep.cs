using System.Diagnostics;

using HomeLab.Ollama;
using HomeLab.Spec;

namespace HomeLab.Hooks;

/// <summary>
/// Creates each custom model, bases first. A model Ollama already holds is compared with its declaration
/// (<see cref="ModelDefinition.Differences"/>) and re-created only when they differ.
/// </summary>
internal static class CreateStep
{
    public static async Task<string?> RunAsync(HookRun run, CancellationToken cancel)
    {
        var order = run.Plan.CreationOrder();
        if (order.Count == 0)
        {
            return "no custom models declared";
        }

        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var model in order)
        {
            var state = run.Models[model.Name];
            state.Definition = ModelDefinition.Hash(model);
            await CreateOneAsync(run, model, state, cancel).ConfigureAwait(false);
            counts[state.State] = counts.GetValueOrDefault(state.State) + 1;
        }

        return string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}"));
    }

    private static async Task CreateOneAsync(HookRun run, ModelSpec model, ModelState state, CancellationToken cancel)
    {
        var from = model.From!;
        if (!run.IsPresent(from))
        {
            var why = run.Models.GetValueOrDefault(from)?.Error is { } error ? $" ({error})" : "";
            state.State = "failed";
            run.Fail(state, $"model '{model.Name}': cannot create it because its base '{from}' is not present{why}");
            return;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            var stored = await run.RetryAsync(token => run.Connection.ShowAsync(model.Name.Written, token), cancel).ConfigureAwait(false);
            if (stored is not null)
            {
                var baseModel = await run.RetryAsync(token => run.Connection.ShowAsync(from.Written, token), cancel).ConfigureAwait(false);
                var differences = ModelDefinition.Differences(model, baseModel, stored);
                if (differences.Count == 0)
                {
                    state.State = "unchanged";
                    return;
                }

                state.RecreatedBecause = string.Join("; ", differences);
                run.Console.Line($"re-creating '{model.Name}': {state.RecreatedBecause}");
            }

            var parameters = ModelDefinition.Parameters(model);
            await run.RetryAsync(token => run.Connection.CreateAsync(model.Name.Written, from.Written, model.System, parameters.Count > 0 ? parameters : null, run.Plan.StallTimeout, token), cancel).ConfigureAwait(false);
            state.State = stored is null ? "created" : "recreated";
            run.MarkPresent(model.Name);
            run.Console.Line($"{state.State} '{model.Name}' from '{from}' in {Durations.Text(clock.Elapsed)}");
        }
        catch (OllamaException e) when (e.Kind is not FailureKind.Unauthorized and not FailureKind.Untrusted)
        {
            state.State = "failed";
            run.Fail(state, $"model '{model.Name}': {e.Message}");
        }
        finally
        {
            state.CreateMs = Durations.Milliseconds(clock.Elapsed);
        }
    }
}
