using System.Diagnostics;

using HomeLab.Ollama;
using HomeLab.Spec;

namespace HomeLab.Hooks;

/// <summary>
/// Pulls every model the plan needs that /api/tags does not list, several at once. A pull is retried when it
/// stalls (no bytes for stallTimeout) or breaks; it gives up for good at the plan's pullTimeout.
/// </summary>
internal static class PullStep
{
    public static async Task<string?> RunAsync(HookRun run, CancellationToken cancel)
    {
        var targets = run.Plan.PullTargets().Where(t => !run.IsPresent(t)).ToList();
        if (targets.Count == 0)
        {
            return "every model is already present";
        }

        run.Console.Line($"pulling {targets.Count} model(s), {run.Plan.PullConcurrency} at a time: {string.Join(", ", targets)}");
        var pulled = 0;
        var views = targets.Select(t => t.Written).ToList();
        await run.Console.PullsAsync(views, view => Parallel.ForEachAsync(
            targets,
            new ParallelOptions { MaxDegreeOfParallelism = run.Plan.PullConcurrency, CancellationToken = cancel },
            async (name, token) =>
            {
                if (await PullOneAsync(run, name, view, token).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref pulled);
                }
            })).ConfigureAwait(false);
        return $"{pulled} of {targets.Count} pulled";
    }

    private static async Task<bool> PullOneAsync(HookRun run, ModelName name, IPullView view, CancellationToken cancel)
    {
        var state = run.Models[name];
        var clock = Stopwatch.StartNew();
        var attempts = 0;
        var tally = new PullTally();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(run.Plan.PullTimeout);
        try
        {
            await run.RetryAsync(
                async token =>
                {
                    Interlocked.Increment(ref attempts);
                    await run.Connection.PullAsync(name.Written, run.Plan.StallTimeout, line => view.Progress(name.Written, tally.Add(line)), token).ConfigureAwait(false);
                },
                deadline.Token).ConfigureAwait(false);
            state.BytesPulled = tally.Downloaded();
            state.State = "pulled";
            run.MarkPresent(name);
            view.Done(name.Written, $"pulled {Durations.Bytes(state.BytesPulled)} in {Durations.Text(clock.Elapsed)}");
            return true;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return Failed(run, state, view, $"model '{name}': the pull did not finish within pullTimeout ({Durations.Text(run.Plan.PullTimeout)}; {attempts} attempt(s)) — raise hooks pullTimeout for a slow link, or pull it by hand");
        }
        catch (OllamaException e) when (e.Kind is not FailureKind.Unauthorized and not FailureKind.Untrusted)
        {
            var hint = e.Kind is FailureKind.NotFound || (e.Kind is FailureKind.StreamError && !e.Transient)
                ? " — the registry has no model by that name; check its name and tag in the stack file"
                : "";
            return Failed(run, state, view, $"model '{name}': {e.Message}{hint}{(attempts > 1 ? $" (gave up after {attempts} attempts)" : "")}");
        }
        finally
        {
            state.PullAttempts = attempts;
            state.PullMs = Durations.Milliseconds(clock.Elapsed);
        }
    }

    private static bool Failed(HookRun run, ModelState state, IPullView view, string message)
    {
        state.State = "failed";
        run.Fail(state, message);
        view.Done(state.Name.Written, "failed");
        return false;
    }
}
