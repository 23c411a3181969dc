using HomeLab.Ollama;

namespace HomeLab.Hooks;

/// <summary>Removes what the instance holds beyond the declared models and their bases (removeUndeclared).</summary>
internal static class RemoveStep
{
    public static async Task<string?> RunAsync(HookRun run, CancellationToken cancel)
    {
        var kept = run.Plan.Kept();
        var undeclared = run.Present.Where(p => !kept.Contains(p.Key)).OrderBy(p => p.Key.Key, StringComparer.Ordinal).ToList();
        foreach (var (name, listedAs) in undeclared)
        {
            try
            {
                // Deleted under the name Ollama listed, so the request names exactly what it holds.
                await run.RetryAsync(token => run.Connection.DeleteAsync(listedAs, token), cancel).ConfigureAwait(false);
                run.Present.Remove(name);
                run.Removed.Add(listedAs);
                run.Console.Line($"removed undeclared model '{listedAs}'");
            }
            catch (OllamaException e) when (e.Kind is not FailureKind.Unauthorized and not FailureKind.Untrusted)
            {
                run.Fail($"model '{listedAs}': could not remove it: {e.Message}");
            }
        }

        return undeclared.Count == 0 ? "no undeclared models" : $"{run.Removed.Count} removed";
    }
}
