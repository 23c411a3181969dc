using System.Diagnostics;

using HomeLab.Ollama;

using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace HomeLab.Hooks;

/// <summary>Waits until Ollama answers /api/version, polling quickly at first, for at most the plan's readyTimeout.</summary>
internal static class WaitStep
{
    public static async Task<string?> RunAsync(HookRun run, CancellationToken cancel)
    {
        var plan = run.Plan;
        run.Console.Line($"hooks {plan.Stack}/{plan.Target}: waiting for Ollama at {run.Connection.BaseUrl} (up to {Durations.Text(plan.ReadyTimeout)})");
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
                MaxDelay = run.Options.ReadyPollMax,
                BackoffType = DelayBackoffType.Exponential,
                OnRetry = args =>
                {
                    last = args.Outcome.Exception as OllamaException;
                    if (clock.Elapsed - reported >= TimeSpan.FromSeconds(15))
                    {
                        // Under Pulumi nothing else shows that the hooks are alive while a container starts.
                        reported = clock.Elapsed;
                        run.Console.Line($"still waiting for Ollama after {Durations.Text(clock.Elapsed)} (last: {last?.Message ?? "no answer"})");
                    }

                    return default;
                },
            })
            .Build();
        var probe = run.Options.ReadyProbeTimeout < plan.ReadyTimeout ? run.Options.ReadyProbeTimeout : plan.ReadyTimeout;
        try
        {
            run.Version = await ready.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await run.Connection.VersionAsync(probe, token).ConfigureAwait(false);
                },
                cancel).ConfigureAwait(false);
            run.ReadyTimestamp = Stopwatch.GetTimestamp();
        }
        catch (TimeoutRejectedException)
        {
            var cause = last?.Message ?? "no answer";
            throw new OllamaException(FailureKind.Timeout, $"instance '{plan.Target}': Ollama at {run.Connection.BaseUrl} did not answer within {Durations.Text(plan.ReadyTimeout)} ({attempts} attempts; last: {cause})");
        }

        var detail = $"Ollama {(string.IsNullOrEmpty(run.Version) ? "(version unknown)" : run.Version)} answered after {Durations.Text(clock.Elapsed)} ({attempts} attempt{(attempts == 1 ? "" : "s")})";
        run.Console.Line(detail);
        return detail;
    }
}
