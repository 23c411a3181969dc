using System.Diagnostics;

using HomeLab.Ollama;
using HomeLab.Spec;
using HomeLab.Spec.Shape;

namespace HomeLab.Hooks;

/// <summary>
/// Runs the post-deploy steps for one instance in order: wait until Ollama answers, list its models, pull what is
/// missing, create custom models, remove undeclared ones (when asked), verify, and warm last so the models declared
/// warm are the ones loaded when the hooks finish. One model failing does not stop the others; a refused credential,
/// an untrusted certificate or an instance that stops answering stops the run. Every failure, at any step, ends as one
/// line naming the model and the cause, and the run still returns its report.
/// </summary>
internal sealed class HookRunner(OllamaConnection connection, HookPlan plan, HookOptions options, HookConsole console, HookCredential? credential = null, WebuiConnection? webui = null)
{
    private readonly List<StepReport> steps = [];
    private HookRun? run;

    /// <summary>When Ollama first answered (a <see cref="Stopwatch"/> timestamp), for the readiness benchmark.</summary>
    public long ReadyTimestamp => run?.ReadyTimestamp ?? 0;

    public async Task<InstanceReport> RunAsync(IReadOnlySet<HookStep> selected, CancellationToken cancel)
    {
        var current = run = new HookRun(connection, plan, options, console, selected) { Webui = webui };
        string? Skip(HookStep step) => selected.Contains(step) ? null : "not selected (--only)";
        try
        {
            await StepAsync(HookStepWords.Of(HookStep.Wait), null, () => WaitStep.RunAsync(current, cancel)).ConfigureAwait(false);
            if (selected.Any(s => s is not HookStep.Wait))
            {
                await StepAsync("list", null, async () =>
                {
                    await current.ListAsync(cancel).ConfigureAwait(false);
                    return null;
                }, reported: false).ConfigureAwait(false);
                await StepAsync(HookStepWords.Of(HookStep.Pull), Skip(HookStep.Pull), () => PullStep.RunAsync(current, cancel)).ConfigureAwait(false);
                await StepAsync(HookStepWords.Of(HookStep.Create), Skip(HookStep.Create), () => CreateStep.RunAsync(current, cancel)).ConfigureAwait(false);
                await StepAsync(HookStepWords.Of(HookStep.Remove), Skip(HookStep.Remove) ?? (plan.RemoveUndeclared ? null : "removeUndeclared is off for this instance"), () => RemoveStep.RunAsync(current, cancel)).ConfigureAwait(false);
                var verify = Skip(HookStep.Verify) ?? (plan.Verify || selected.Count < HookPlan.AllSteps.Count ? null : "the stack sets 'hooks: { verify: false }'");
                await StepAsync(HookStepWords.Of(HookStep.Verify), verify, () => VerifyStep.RunAsync(current, cancel)).ConfigureAwait(false);
                await StepAsync(HookStepWords.Of(HookStep.Warm), Skip(HookStep.Warm), () => WarmStep.RunAsync(current, cancel)).ConfigureAwait(false);
                if (verify is not null)
                {
                    await StepAsync("list", null, async () =>
                    {
                        await current.ListAsync(cancel).ConfigureAwait(false);
                        return null;
                    }, reported: false).ConfigureAwait(false);
                }

                foreach (var model in plan.Models.Where(m => !current.IsPresent(m.Name)))
                {
                    MarkMissing(current, model);
                }
            }
        }
        catch (StopRun)
        {
            // The failure that stopped the run is already recorded.
        }

        return Report(current);
    }

    /// <summary>Records a declared model that is not on the instance, once, unless its pull or create already said why.</summary>
    public static void MarkMissing(HookRun run, ModelSpec model)
    {
        var state = run.Models[model.Name];
        if (state.State is "failed" || state.Error is not null)
        {
            return;
        }

        var why = model.IsCustom && !run.Selected.Contains(HookStep.Create) ? " (the create step was not selected)"
            : !model.IsCustom && !run.Selected.Contains(HookStep.Pull) ? " (the pull step was not selected)"
            : "";
        state.State = "missing";
        run.Fail(state, $"model '{model.Name}': not present on the instance{why}");
    }

    /// <summary>
    /// Runs one step. A failure that concerns the whole instance (no answer, refused credential, untrusted
    /// certificate, or anything unexpected) is recorded as the step's result and stops the run; a listing that
    /// succeeds is not reported as a step of its own.
    /// </summary>
    private async Task StepAsync(string name, string? skipped, Func<Task<string?>> body, bool reported = true)
    {
        if (skipped is not null)
        {
            steps.Add(new StepReport(name, "skipped", 0, skipped));
            return;
        }

        var clock = Stopwatch.StartNew();
        var before = run!.Failures.Count;
        string message;
        try
        {
            var detail = await body().ConfigureAwait(false);
            if (reported)
            {
                steps.Add(new StepReport(name, run.Failures.Count > before ? "failed" : "ok", Durations.Milliseconds(clock.Elapsed), detail));
            }

            return;
        }
        catch (OllamaException e)
        {
            message = Explain(e, credential);
        }
        catch (Exception e) when (e is not OperationCanceledException and not StopRun)
        {
            // Not a failure the client classified (a bug, or something no test foresaw): still one line and a report.
            message = $"{name}: unexpected {e.GetType().Name}: {e.Message}";
        }

        run.Fail(message);
        steps.Add(new StepReport(name, "failed", Durations.Milliseconds(clock.Elapsed), message));
        throw new StopRun();
    }

    /// <summary>What the operator should do about a failure only the caller can explain: which credential, which certificate.</summary>
    public static string Explain(OllamaException e, HookCredential? credential) => (e.Kind, e.What) switch
    {
        (FailureKind.Unauthorized, { } what) when credential is null => $"{what}: the proxy requires credentials (HTTP {e.Status}) and the hooks have none",
        (FailureKind.Unauthorized, { } what) => $"{what}: the proxy refused {credential!.Describe()} (HTTP {e.Status}); it does not match the one the proxy was deployed with",
        (FailureKind.Untrusted, _) => $"{e.Message}; with 'tls: internal' give the hooks the proxy's root certificate: export {InstanceAccess.CaCertificateVariable}=/path/to/root.crt or --ca-cert (README: The proxy)",
        _ => e.Message,
    };

    private InstanceReport Report(HookRun current)
    {
        Func<string, string> redact = credential is { } c ? c.Redact : text => text;
        return new InstanceReport(
            plan.Instance,
            connection.BaseUrl.ToString(),
            SpecShape.HookPaths.Of(plan.Via),
            current.Failures.Count == 0,
            current.Version,
            steps,
            current.Models.Values.Select(m => m.ToReport(redact)).ToList(),
            current.Removed,
            current.Checks.Select(c => c with { Detail = redact(c.Detail) }).ToList(),
            current.Failures.Select(redact).ToList())
        {
            Replica = plan.Replica,
        };
    }

    private sealed class StopRun : Exception;
}
