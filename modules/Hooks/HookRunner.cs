using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

using HomeLab.Spec;

using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace HomeLab.Modules.Hooks;

/// <summary>Retry and timeout settings; the defaults suit a real deployment, tests shorten them.</summary>
internal sealed record HookOptions(int Attempts, TimeSpan RetryDelay, TimeSpan MaxRetryDelay, TimeSpan RequestTimeout, TimeSpan LoadTimeout, TimeSpan ReadyProbeTimeout, TimeSpan ReadyPollMax)
{
    public static readonly HookOptions Defaults = new(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200));
}

/// <summary>
/// Runs the post-deploy steps for one instance: wait until Ollama answers, pull what is missing (several at once),
/// create custom models, optionally remove undeclared ones, warm, verify. One model failing does not stop the others;
/// a refused credential or an instance that never answers stops the run. Every failure ends as one line naming the
/// model and the cause.
/// </summary>
internal sealed class HookRunner
{
    private const string GenerationPrompt = "Reply with the single word: ok";
    private const string EmbeddingInput = "homelab health check";

    private readonly OllamaClient client;
    private readonly HookPlan plan;
    private readonly HookOptions options;
    private readonly HookConsole console;
    private readonly ResiliencePipeline transient;
    private readonly Dictionary<string, ModelState> models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> present = new(StringComparer.Ordinal);
    private readonly List<StepReport> steps = [];
    private readonly List<CheckReport> checks = [];
    private readonly List<string> failures = [];
    private readonly List<string> removed = [];
    private readonly Lock gate = new();
    private string? version;
    private IReadOnlySet<HookStep> selected = new HashSet<HookStep>();

    public HookRunner(OllamaClient client, HookPlan plan, HookOptions options, HookConsole console)
    {
        this.client = client;
        this.plan = plan;
        this.options = options;
        this.console = console;
        transient = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<OllamaException>(e => e.Transient),
            MaxRetryAttempts = Math.Max(options.Attempts - 1, 1),
            Delay = options.RetryDelay,
            MaxDelay = options.MaxRetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            OnRetry = args =>
            {
                console.Line($"{args.Outcome.Exception?.Message}; retrying in {Durations.Text(args.RetryDelay)} (attempt {args.AttemptNumber + 2} of {options.Attempts})");
                return default;
            },
        }).Build();
        foreach (var model in plan.Models)
        {
            models[Names.CanonicalModel(model.Name)] = new ModelState(model.Name, model);
        }

        foreach (var target in plan.PullTargets().Where(t => !models.ContainsKey(Names.CanonicalModel(t))))
        {
            models[Names.CanonicalModel(target)] = new ModelState(target, null);
        }
    }

    /// <summary>When Ollama first answered (a <see cref="Stopwatch"/> timestamp), for the readiness benchmark.</summary>
    public long ReadyTimestamp { get; private set; }

    public async Task<InstanceReport> RunAsync(IReadOnlySet<HookStep> steps, CancellationToken cancel)
    {
        selected = steps;
        try
        {
            await StepAsync(HookStep.Wait, null, () => WaitAsync(cancel)).ConfigureAwait(false);
            if (selected.Any(s => s is not HookStep.Wait))
            {
                await ListAsync(cancel).ConfigureAwait(false);
                await StepAsync(HookStep.Pull, Skip(HookStep.Pull), () => PullAsync(cancel)).ConfigureAwait(false);
                await StepAsync(HookStep.Create, Skip(HookStep.Create), () => CreateAsync(cancel)).ConfigureAwait(false);
                await StepAsync(HookStep.Remove, Skip(HookStep.Remove) ?? (plan.RemoveUndeclared ? null : "removeUndeclared is off for this instance"), () => RemoveAsync(cancel)).ConfigureAwait(false);
                await StepAsync(HookStep.Warm, Skip(HookStep.Warm), () => WarmAsync(cancel)).ConfigureAwait(false);
                var verify = Skip(HookStep.Verify) ?? (plan.Verify || selected.Count < HookPlan.AllSteps.Count ? null : "the stack sets 'hooks: { verify: false }'");
                await StepAsync(HookStep.Verify, verify, () => VerifyAsync(cancel)).ConfigureAwait(false);
                if (verify is not null)
                {
                    await ListAsync(cancel).ConfigureAwait(false);
                }

                ReportMissing();
            }
        }
        catch (StopRun)
        {
            // The failure that stopped the run is already recorded.
        }

        return Report();
    }

    private string? Skip(HookStep step) => selected.Contains(step) ? null : "not selected (--only)";

    private async Task StepAsync(HookStep step, string? skipped, Func<Task<string?>> body)
    {
        var name = step.ToString().ToLowerInvariant();
        if (skipped is not null)
        {
            steps.Add(new StepReport(name, "skipped", 0, skipped));
            return;
        }

        var clock = Stopwatch.StartNew();
        var before = failures.Count;
        try
        {
            var detail = await body().ConfigureAwait(false);
            steps.Add(new StepReport(name, failures.Count > before ? "failed" : "ok", Durations.Milliseconds(clock.Elapsed), detail));
        }
        catch (OllamaException e)
        {
            Fail(e.Message);
            steps.Add(new StepReport(name, "failed", Durations.Milliseconds(clock.Elapsed), e.Message));
            throw new StopRun();
        }
    }

    private async Task<string?> WaitAsync(CancellationToken cancel)
    {
        console.Line($"hooks {plan.Stack}/{plan.Instance}: waiting for Ollama at {client.BaseUrl} (up to {Durations.Text(plan.ReadyTimeout)})");
        var attempts = 0;
        OllamaException? last = null;
        var clock = Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        var ready = new ResiliencePipelineBuilder()
            .AddTimeout(plan.ReadyTimeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<OllamaException>(e => e.Transient),
                MaxRetryAttempts = int.MaxValue,
                Delay = TimeSpan.FromMilliseconds(25),
                MaxDelay = options.ReadyPollMax,
                BackoffType = DelayBackoffType.Exponential,
                OnRetry = args =>
                {
                    last = args.Outcome.Exception as OllamaException;
                    if (clock.Elapsed - reported >= TimeSpan.FromSeconds(15))
                    {
                        // Under Pulumi nothing else shows that the hooks are alive while a container starts.
                        reported = clock.Elapsed;
                        console.Line($"still waiting for Ollama after {Durations.Text(clock.Elapsed)} (last: {last?.Message ?? "no answer"})");
                    }

                    return default;
                },
            })
            .Build();
        try
        {
            var answer = await ready.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await client.VersionAsync(options.ReadyProbeTimeout < plan.ReadyTimeout ? options.ReadyProbeTimeout : plan.ReadyTimeout, token).ConfigureAwait(false);
                },
                cancel).ConfigureAwait(false);
            ReadyTimestamp = Stopwatch.GetTimestamp();
            version = answer.Version;
        }
        catch (TimeoutRejectedException)
        {
            var cause = last?.Message ?? "no answer";
            throw new OllamaException(FailureKind.Timeout, $"instance '{plan.Instance}': Ollama at {client.BaseUrl} did not answer within {Durations.Text(plan.ReadyTimeout)} ({attempts} attempts; last: {cause})");
        }

        var detail = $"Ollama {version ?? "(version unknown)"} answered after {Durations.Text(clock.Elapsed)} ({attempts} attempt{(attempts == 1 ? "" : "s")})";
        console.Line(detail);
        return detail;
    }

    private async Task ListAsync(CancellationToken cancel)
    {
        var listed = await transient.ExecuteAsync(async token => await client.TagsAsync(token).ConfigureAwait(false), cancel).ConfigureAwait(false);
        present.Clear();
        foreach (var model in listed)
        {
            if ((model.Name ?? model.Model) is { Length: > 0 } name)
            {
                present[Names.CanonicalModel(name)] = name;
            }
        }

        foreach (var (key, state) in models.Where(m => m.Value.State is "missing" or "unchecked"))
        {
            state.State = present.ContainsKey(key) ? "present" : "missing";
        }
    }

    private async Task<string?> PullAsync(CancellationToken cancel)
    {
        var targets = plan.PullTargets().Where(t => !present.ContainsKey(Names.CanonicalModel(t))).ToList();
        if (targets.Count == 0)
        {
            return "every model is already present";
        }

        console.Line($"pulling {targets.Count} model(s), {plan.PullConcurrency} at a time: {string.Join(", ", targets)}");
        var pulled = 0;
        await console.PullsAsync(targets, view => Parallel.ForEachAsync(
            targets,
            new ParallelOptions { MaxDegreeOfParallelism = plan.PullConcurrency, CancellationToken = cancel },
            async (name, token) =>
            {
                if (await PullOneAsync(name, view, token).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref pulled);
                }
            })).ConfigureAwait(false);
        return $"{pulled} of {targets.Count} pulled";
    }

    private async Task<bool> PullOneAsync(string name, IPullView view, CancellationToken cancel)
    {
        var key = Names.CanonicalModel(name);
        var state = models[key];
        var clock = Stopwatch.StartNew();
        var attempts = 0;
        try
        {
            state.BytesPulled = await transient.ExecuteAsync(
                async token =>
                {
                    Interlocked.Increment(ref attempts);
                    return await client.PullAsync(name, plan.StallTimeout, progress => view.Progress(name, progress), token).ConfigureAwait(false);
                },
                cancel).ConfigureAwait(false);
            state.State = "pulled";
            lock (gate)
            {
                present[key] = name;
            }

            view.Done(name, $"pulled {Durations.Bytes(state.BytesPulled)} in {Durations.Text(clock.Elapsed)}");
            return true;
        }
        catch (OllamaException e) when (e.Kind is not FailureKind.Unauthorized)
        {
            var hint = e.Kind is FailureKind.NotFound || (e.Kind is FailureKind.StreamError && !e.Transient)
                ? " — the registry has no model by that name; check its name and tag in the stack file"
                : "";
            var message = $"model '{name}': {e.Message}{hint}{(attempts > 1 ? $" (gave up after {attempts} attempts)" : "")}";
            state.State = "failed";
            state.Error = message;
            Fail(message);
            view.Done(name, "failed");
            return false;
        }
        finally
        {
            state.PullAttempts = attempts;
            state.PullMs = Durations.Milliseconds(clock.Elapsed);
        }
    }

    private async Task<string?> CreateAsync(CancellationToken cancel)
    {
        var order = plan.CreationOrder();
        if (order.Count == 0)
        {
            return "no custom models declared";
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var model in order)
        {
            var state = models[Names.CanonicalModel(model.Name)];
            state.Definition = ModelDefinition.Hash(model);
            await CreateOneAsync(model, state, cancel).ConfigureAwait(false);
            counts[state.State] = counts.GetValueOrDefault(state.State) + 1;
        }

        return string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}"));
    }

    private async Task CreateOneAsync(ModelSpec model, ModelState state, CancellationToken cancel)
    {
        var from = model.From!;
        if (!present.ContainsKey(Names.CanonicalModel(from)))
        {
            var why = models.GetValueOrDefault(Names.CanonicalModel(from))?.Error is { } error ? $" ({error})" : "";
            state.State = "failed";
            state.Error = $"model '{model.Name}': cannot create it because its base '{from}' is not present{why}";
            Fail(state.Error);
            return;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            var stored = await transient.ExecuteAsync(async token => await client.ShowAsync(model.Name, token).ConfigureAwait(false), cancel).ConfigureAwait(false);
            if (stored is not null)
            {
                var baseModel = await transient.ExecuteAsync(async token => await client.ShowAsync(from, token).ConfigureAwait(false), cancel).ConfigureAwait(false);
                var differences = ModelDefinition.Differences(model, baseModel, stored);
                if (differences.Count == 0)
                {
                    state.State = "unchanged";
                    return;
                }

                state.RecreatedBecause = string.Join("; ", differences);
                console.Line($"re-creating '{model.Name}': {state.RecreatedBecause}");
            }

            var parameters = ModelDefinition.Parameters(model);
            var request = new CreateRequest(model.Name, from, model.System, parameters.Count > 0 ? parameters : null, true);
            await transient.ExecuteAsync(async token => await client.CreateAsync(request, plan.StallTimeout, token).ConfigureAwait(false), cancel).ConfigureAwait(false);
            state.State = stored is null ? "created" : "recreated";
            present[Names.CanonicalModel(model.Name)] = model.Name;
            console.Line($"{state.State} '{model.Name}' from '{from}' in {Durations.Text(clock.Elapsed)}");
        }
        catch (OllamaException e) when (e.Kind is not FailureKind.Unauthorized)
        {
            state.State = "failed";
            state.Error = $"model '{model.Name}': {e.Message}";
            Fail(state.Error);
        }
        finally
        {
            state.CreateMs = Durations.Milliseconds(clock.Elapsed);
        }
    }

    private async Task<string?> RemoveAsync(CancellationToken cancel)
    {
        var kept = plan.Kept();
        var undeclared = present.Where(p => !kept.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        foreach (var (key, name) in undeclared)
        {
            try
            {
                await transient.ExecuteAsync(async token => await client.DeleteAsync(name, token).ConfigureAwait(false), cancel).ConfigureAwait(false);
                present.Remove(key);
                removed.Add(name);
                console.Line($"removed undeclared model '{name}'");
            }
            catch (OllamaException e) when (e.Kind is not FailureKind.Unauthorized)
            {
                Fail($"model '{name}': could not remove it: {e.Message}");
            }
        }

        return undeclared.Count == 0 ? "no undeclared models" : $"{removed.Count} removed";
    }

    private async Task<string?> WarmAsync(CancellationToken cancel)
    {
        var warm = plan.Models.Where(m => m.Warm && present.ContainsKey(Names.CanonicalModel(m.Name))).ToList();
        if (warm.Count == 0)
        {
            return "no models to warm";
        }

        var keepAlive = KeepAlive(plan.KeepAlive);
        foreach (var model in warm)
        {
            var state = models[Names.CanonicalModel(model.Name)];
            var clock = Stopwatch.StartNew();
            try
            {
                state.LoadMs = model.Kind is ModelKind.Embedding
                    ? Durations.FromNanoseconds((await transient.ExecuteAsync(async token => await client.EmbedAsync(new EmbedRequest(model.Name, EmbeddingInput, keepAlive), options.LoadTimeout, token).ConfigureAwait(false), cancel).ConfigureAwait(false)).LoadDuration)
                    : Durations.FromNanoseconds((await transient.ExecuteAsync(async token => await client.GenerateAsync(new GenerateRequest(model.Name, null, false, keepAlive, null), options.LoadTimeout, token).ConfigureAwait(false), cancel).ConfigureAwait(false)).LoadDuration);
                state.WarmMs = Durations.Milliseconds(clock.Elapsed);
                console.Line($"warmed '{model.Name}' in {Durations.Text(clock.Elapsed)}{(plan.KeepAlive is { } k ? $", kept loaded for {k}" : "")}");
            }
            catch (OllamaException e) when (e.Kind is not FailureKind.Unauthorized)
            {
                state.Error = $"model '{model.Name}': warm-up failed: {e.Message}";
                Fail(state.Error);
            }
        }

        var loaded = (await transient.ExecuteAsync(async token => await client.PsAsync(token).ConfigureAwait(false), cancel).ConfigureAwait(false))
            .ToDictionary(m => Names.CanonicalModel(m.Name ?? m.Model ?? ""), StringComparer.Ordinal);
        foreach (var model in warm.Where(m => models[Names.CanonicalModel(m.Name)].WarmMs is not null))
        {
            var isLoaded = loaded.TryGetValue(Names.CanonicalModel(model.Name), out var running);
            Check("loaded after warm-up", model.Name, isLoaded, isLoaded ? $"loaded until {running!.ExpiresAt ?? "unknown"}" : "not in /api/ps after warm-up");
        }

        return $"{warm.Count} warmed";
    }

    private async Task<string?> VerifyAsync(CancellationToken cancel)
    {
        await ListAsync(cancel).ConfigureAwait(false);
        var keepAlive = KeepAlive(plan.KeepAlive);
        foreach (var model in plan.Models)
        {
            var key = Names.CanonicalModel(model.Name);
            if (!present.ContainsKey(key))
            {
                checks.Add(new CheckReport("listed", model.Name, false, "not in /api/tags"));
                MarkMissing(model);
                continue;
            }

            checks.Add(new CheckReport("listed", model.Name, true, "in /api/tags"));

            var state = models[key];
            try
            {
                if (model.Kind is ModelKind.Embedding)
                {
                    var answer = await transient.ExecuteAsync(async token => await client.EmbedAsync(new EmbedRequest(model.Name, EmbeddingInput, keepAlive), options.LoadTimeout, token).ConfigureAwait(false), cancel).ConfigureAwait(false);
                    var length = answer.Embeddings is [{ } vector, ..] ? vector.Count : 0;
                    state.EmbeddingLength = length;
                    state.LoadMs ??= Durations.FromNanoseconds(answer.LoadDuration);
                    Check("returns an embedding", model.Name, length > 0, length > 0 ? $"{length} dimensions" : "the embedding came back empty");
                }
                else
                {
                    var answer = await transient.ExecuteAsync(async token => await client.GenerateAsync(new GenerateRequest(model.Name, GenerationPrompt, false, keepAlive, new GenerateOptions(1)), options.LoadTimeout, token).ConfigureAwait(false), cancel).ConfigureAwait(false);
                    var answered = answer.Done is true && (answer.EvalCount > 0 || !string.IsNullOrEmpty(answer.Response));
                    state.LoadMs ??= Durations.FromNanoseconds(answer.LoadDuration);
                    state.TokensPerSecond = Rate(answer.EvalCount, answer.EvalDuration);
                    state.PromptTokensPerSecond = Rate(answer.PromptEvalCount, answer.PromptEvalDuration);
                    Check("answers a one-token generation", model.Name, answered, answered ? $"{answer.EvalCount ?? 0} token(s), done: {answer.DoneReason ?? "stop"}" : "the generation did not finish");
                }
            }
            catch (OllamaException e) when (e.Kind is not FailureKind.Unauthorized)
            {
                Check(model.Kind is ModelKind.Embedding ? "returns an embedding" : "answers a one-token generation", model.Name, false, e.Message);
            }
        }

        var openAi = (await transient.ExecuteAsync(async token => await client.OpenAiModelsAsync(token).ConfigureAwait(false), cancel).ConfigureAwait(false))
            .Select(m => Names.CanonicalModel(m.Id ?? "")).ToHashSet(StringComparer.Ordinal);

        // Models missing from /api/tags already failed above; this check is about the OpenAI API agreeing with it.
        var absent = plan.Models.Where(m => present.ContainsKey(Names.CanonicalModel(m.Name)) && !openAi.Contains(Names.CanonicalModel(m.Name))).Select(m => m.Name).ToList();
        Check("/v1/models lists every declared model", null, absent.Count == 0, absent.Count == 0 ? $"{openAi.Count} model(s) listed" : $"missing: {string.Join(", ", absent)}");
        if (plan.Via is HookPath.Proxy)
        {
            await CheckProxyAuthAsync(cancel).ConfigureAwait(false);
        }

        return $"{checks.Count(c => c.Ok)} of {checks.Count} checks passed";
    }

    private async Task CheckProxyAuthAsync(CancellationToken cancel)
    {
        if (!plan.ProxyRequiresAuth)
        {
            console.Line("the proxy has no auth configured, so there is no refusal to check");
            return;
        }

        var status = await transient.ExecuteAsync(async token => await client.StatusWithoutCredentialAsync(token).ConfigureAwait(false), cancel).ConfigureAwait(false);
        Check("the proxy refuses a request without credentials", null, status is 401 or 403, $"HTTP {status}");
        Check("the proxy accepts the hooks' credential", null, true, "GET /api/tags answered with credentials");
    }

    private void ReportMissing()
    {
        foreach (var model in plan.Models.Where(m => !present.ContainsKey(Names.CanonicalModel(m.Name))))
        {
            MarkMissing(model);
        }
    }

    /// <summary>Records a declared model that is not on the instance, once, unless its pull or create already said why.</summary>
    private void MarkMissing(ModelSpec model)
    {
        var state = models[Names.CanonicalModel(model.Name)];
        if (state.State is "failed" || state.Error is not null)
        {
            return;
        }

        var why = model.IsCustom && !selected.Contains(HookStep.Create) ? " (the create step was not selected)"
            : !model.IsCustom && !selected.Contains(HookStep.Pull) ? " (the pull step was not selected)"
            : "";
        state.State = "missing";
        state.Error = $"model '{model.Name}': not present on the instance{why}";
        Fail(state.Error);
    }

    private void Check(string check, string? model, bool ok, string detail)
    {
        checks.Add(new CheckReport(check, model, ok, detail));

        // A model whose pull or create failed has its one message already; its failed checks follow from it.
        if (!ok && (model is null || models[Names.CanonicalModel(model)].State is not "failed"))
        {
            Fail(model is null ? $"check failed: {check}: {detail}" : $"model '{model}': check failed: {check}: {detail}");
        }
    }

    private void Fail(string message)
    {
        lock (gate)
        {
            failures.Add(message);
        }
    }

    private InstanceReport Report()
    {
        var redact = client.Credential is { } credential ? credential.Redact : (Func<string, string>)(text => text);
        return new InstanceReport(
            plan.Instance,
            client.BaseUrl.ToString(),
            plan.Via.ToString().ToLowerInvariant(),
            failures.Count == 0,
            version,
            steps,
            models.Values.Select(m => m.ToReport() with { Error = m.Error is { } error ? redact(error) : null }).ToList(),
            removed,
            checks.Select(c => c with { Detail = redact(c.Detail) }).ToList(),
            failures.Select(redact).ToList());
    }

    /// <summary>Ollama reads keep_alive as a Go duration string, or a number of seconds (negative: forever).</summary>
    private static JsonElement? KeepAlive(string? keepAlive) => keepAlive switch
    {
        null => null,
        "-1" => JsonSerializer.SerializeToElement(-1L, HookJson.Default.Int64),
        _ => JsonSerializer.SerializeToElement(keepAlive, HookJson.Default.String),
    };

    private static double? Rate(long? count, long? nanoseconds) =>
        count is > 0 && nanoseconds is > 0 ? Math.Round(count.Value / (nanoseconds.Value / 1e9), 1) : null;

    private sealed class StopRun : Exception;

    private sealed class ModelState(string name, ModelSpec? spec)
    {
        public string State { get; set; } = "unchecked";

        public long BytesPulled { get; set; }

        public int PullAttempts { get; set; }

        public double? PullMs { get; set; }

        public double? CreateMs { get; set; }

        public string? Definition { get; set; }

        public string? RecreatedBecause { get; set; }

        public double? WarmMs { get; set; }

        public double? LoadMs { get; set; }

        public double? TokensPerSecond { get; set; }

        public double? PromptTokensPerSecond { get; set; }

        public int? EmbeddingLength { get; set; }

        public string? Error { get; set; }

        public ModelReport ToReport() => new(
            name,
            (spec?.Kind ?? ModelKind.Chat).ToString().ToLowerInvariant(),
            State,
            spec is not null,
            spec?.IsCustom ?? false,
            spec?.Warm ?? false,
            BytesPulled,
            PullAttempts,
            PullMs,
            CreateMs,
            Definition,
            RecreatedBecause,
            WarmMs,
            LoadMs,
            TokensPerSecond,
            PromptTokensPerSecond,
            EmbeddingLength,
            Error);
    }
}
