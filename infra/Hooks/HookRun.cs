using System.Globalization;

using HomeLab.Ollama;
using HomeLab.Spec;

using Polly;
using Polly.Retry;

namespace HomeLab.Hooks;

/// <summary>
/// What the steps of one hooks run share: the connection, the plan, what is on the instance, and what went wrong.
/// Models are keyed by <see cref="ModelName"/>, so a name is matched the way Ollama matches it.
/// </summary>
internal sealed class HookRun
{
    private readonly ResiliencePipeline transient;
    private readonly Lock gate = new();

    public HookRun(OllamaConnection connection, HookPlan plan, HookOptions options, HookConsole console, IReadOnlySet<HookStep> selected)
    {
        Connection = connection;
        Plan = plan;
        Options = options;
        Console = console;
        Selected = selected;
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
            Models[model.Name] = new ModelState(model.Name, model);
        }

        foreach (var target in plan.PullTargets().Where(t => !Models.ContainsKey(t)))
        {
            Models[target] = new ModelState(target, null);
        }
    }

    public OllamaConnection Connection { get; }

    /// <summary>The chat front end that talks to this instance, when the stack has one and the hooks go through the proxy.</summary>
    public WebuiConnection? Webui { get; init; }

    public HookPlan Plan { get; }

    public HookOptions Options { get; }

    public HookConsole Console { get; }

    public IReadOnlySet<HookStep> Selected { get; }

    public Dictionary<ModelName, ModelState> Models { get; } = [];

    /// <summary>What /api/tags listed last, by model, with the name Ollama listed it under.</summary>
    public Dictionary<ModelName, string> Present { get; } = [];

    /// <summary>The size /api/tags gave each listed model: its files on disk.</summary>
    public Dictionary<ModelName, long> Sizes { get; } = [];

    public List<CheckReport> Checks { get; } = [];

    public List<string> Failures { get; } = [];

    public List<string> Removed { get; } = [];

    public string? Version { get; set; }

    /// <summary>When Ollama first answered (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), for the readiness benchmark.</summary>
    public long ReadyTimestamp { get; set; }

    /// <summary>keep_alive as Ollama parses it (api.Duration): a Go duration string; a bare number means seconds, a negative one for ever.</summary>
    public string? KeepAlive => Plan.KeepAlive switch
    {
        null => null,
        var seconds when long.TryParse(seconds, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n < 0 ? "-1m" : $"{n}s",
        var duration => duration,
    };

    public bool IsPresent(ModelName name)
    {
        lock (gate)
        {
            return Present.ContainsKey(name);
        }
    }

    public void MarkPresent(ModelName name)
    {
        lock (gate)
        {
            Present[name] = name.Written;
        }
    }

    public Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancel) =>
        transient.ExecuteAsync(async token => await call(token).ConfigureAwait(false), cancel).AsTask();

    public async Task RetryAsync(Func<CancellationToken, Task> call, CancellationToken cancel) =>
        await transient.ExecuteAsync(async token => await call(token).ConfigureAwait(false), cancel).ConfigureAwait(false);

    /// <summary>Reads /api/tags, and marks each model not yet pulled or created as present or missing.</summary>
    public async Task ListAsync(CancellationToken cancel)
    {
        var listed = await RetryAsync(Connection.ListAsync, cancel).ConfigureAwait(false);
        lock (gate)
        {
            Present.Clear();
            foreach (var (name, size) in listed)
            {
                Present[ModelName.Parse(name)] = name;
                Sizes[ModelName.Parse(name)] = size;
            }
        }

        foreach (var (name, state) in Models.Where(m => m.Value.State is "missing" or "unchecked"))
        {
            state.State = Present.ContainsKey(name) ? "present" : "missing";
        }
    }

    public void Check(string check, ModelName? model, bool ok, string detail)
    {
        lock (gate)
        {
            Checks.Add(new CheckReport(check, model?.Written, ok, detail));
        }

        // A model whose pull or create failed has its one message already; its failed checks follow from it.
        if (!ok && (model is null || Models[model].State is not "failed"))
        {
            Fail(model is null ? $"check failed: {check}: {detail}" : $"model '{model}': check failed: {check}: {detail}");
        }
    }

    /// <summary>A check whose evidence Ollama does not give: not passed, not failed, reported as unproven with why.</summary>
    public void Unproven(string check, ModelName model, string detail)
    {
        lock (gate)
        {
            Checks.Add(new CheckReport(check, model.Written, false, detail) { Result = CheckReport.Unproven });
        }

        Console.Line($"model '{model}': {check}: unproven: {detail}");
    }

    public void Fail(string message)
    {
        lock (gate)
        {
            Failures.Add(message);
        }
    }

    public void Fail(ModelState state, string message)
    {
        state.Error = message;
        Fail(message);
    }
}
