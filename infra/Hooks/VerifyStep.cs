using HomeLab.Ollama;
using HomeLab.Spec;

namespace HomeLab.Hooks;

/// <summary>
/// Proves the instance serves what the stack declares: every model listed, each chat model answers a one-token
/// generation (and, with a GPU, runs on it: <see cref="GpuCheck"/>), each embedding model returns a vector, the
/// OpenAI-compatible list agrees, the proxy refuses a request without credentials, and the chat front end that talks to
/// the instance is healthy and lists its models (<see cref="WebuiCheck"/>).
/// </summary>
internal static class VerifyStep
{
    private const string GenerationPrompt = "Reply with the single word: ok";
    private const string EmbeddingInput = "homelab health check";

    public static async Task<string?> RunAsync(HookRun run, CancellationToken cancel)
    {
        await run.ListAsync(cancel).ConfigureAwait(false);
        foreach (var model in run.Plan.Models)
        {
            if (!run.IsPresent(model.Name))
            {
                run.Checks.Add(new CheckReport("listed", model.Name.Written, false, "not in /api/tags"));
                HookRunner.MarkMissing(run, model);
                continue;
            }

            run.Checks.Add(new CheckReport("listed", model.Name.Written, true, "in /api/tags"));
            var check = model.Kind is ModelKind.Embedding ? "returns an embedding" : "answers a one-token generation";
            try
            {
                if (model.Kind is ModelKind.Embedding)
                {
                    await EmbedAsync(run, model, cancel).ConfigureAwait(false);
                }
                else
                {
                    await GenerateAsync(run, model, cancel).ConfigureAwait(false);
                }
            }
            catch (OllamaException e) when (e.Kind is not FailureKind.Unauthorized and not FailureKind.Untrusted)
            {
                run.Check(check, model.Name, false, e.Message);
            }
        }

        var openAi = (await run.RetryAsync(run.Connection.OpenAiModelIdsAsync, cancel).ConfigureAwait(false)).Select(ModelName.Parse).ToHashSet();

        // Models missing from /api/tags already failed above; this check is about the OpenAI API agreeing with it.
        var absent = run.Plan.Models.Where(m => run.IsPresent(m.Name) && !openAi.Contains(m.Name)).Select(m => m.Name.Written).ToList();
        run.Check("/v1/models lists every declared model", null, absent.Count == 0, absent.Count == 0 ? $"{openAi.Count} model(s) listed" : $"missing: {string.Join(", ", absent)}");
        if (run.Plan.Via is HookPath.Proxy)
        {
            await CheckProxyAuthAsync(run, cancel).ConfigureAwait(false);
        }

        if (run.Webui is { } webui)
        {
            await WebuiCheck.RunAsync(run, webui, cancel).ConfigureAwait(false);
        }

        return $"{run.Checks.Count(c => c.Ok)} of {run.Checks.Count} checks passed";
    }

    private static async Task EmbedAsync(HookRun run, ModelSpec model, CancellationToken cancel)
    {
        var state = run.Models[model.Name];
        var answer = await run.RetryAsync(token => run.Connection.EmbedAsync(model.Name.Written, EmbeddingInput, run.KeepAlive, run.Options.LoadTimeout, token), cancel).ConfigureAwait(false);
        var length = answer.Embeddings is [{ } vector, ..] ? vector.Length : 0;
        state.EmbeddingLength = length;
        state.LoadMs ??= Durations.FromNanoseconds(answer.LoadDuration);
        run.Check("returns an embedding", model.Name, length > 0, length > 0 ? $"{length} dimensions" : "the embedding came back empty");
    }

    private static async Task GenerateAsync(HookRun run, ModelSpec model, CancellationToken cancel)
    {
        var state = run.Models[model.Name];
        var answer = await run.RetryAsync(token => run.Connection.GenerateAsync(model.Name.Written, GenerationPrompt, run.KeepAlive, 1, run.Options.LoadTimeout, token), cancel).ConfigureAwait(false);
        var answered = answer.Done && (answer.EvalCount > 0 || !string.IsNullOrEmpty(answer.Response));
        state.LoadMs ??= Durations.FromNanoseconds(answer.LoadDuration);
        state.TokensPerSecond = Rate(answer.EvalCount, answer.EvalDuration);
        state.PromptTokensPerSecond = Rate(answer.PromptEvalCount, answer.PromptEvalDuration);
        run.Check("answers a one-token generation", model.Name, answered, answered ? $"{answer.EvalCount} token(s), done: {answer.DoneReason ?? "stop"}" : "the generation did not finish");
        if (answered && run.Plan.Gpu is not GpuVendor.None)
        {
            await GpuCheck.RunAsync(run, model, cancel).ConfigureAwait(false);
        }
    }

    private static async Task CheckProxyAuthAsync(HookRun run, CancellationToken cancel)
    {
        if (!run.Plan.ProxyRequiresAuth)
        {
            run.Console.Line("the proxy has no auth configured, so there is no refusal to check");
            return;
        }

        var status = await run.RetryAsync(run.Connection.StatusWithoutCredentialsAsync, cancel).ConfigureAwait(false);
        run.Check("the proxy refuses a request without credentials", null, status is 401 or 403, $"HTTP {status}");
        run.Check("the proxy accepts the hooks' credential", null, true, "GET /api/tags answered with credentials");
    }

    private static double? Rate(long count, long nanoseconds) =>
        count > 0 && nanoseconds > 0 ? Math.Round(count / (nanoseconds / 1e9), 1) : null;
}
