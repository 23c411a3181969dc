using HomeLab.Hooks;
using HomeLab.Ollama;
using HomeLab.Spec;

namespace HomeLab.Status;

/// <summary>
/// Reads what one instance has through the hooks' own connection (their endpoint: URL, instance-pinning header,
/// credential; their CA trust), their retry policy and their reading of /api/tags (<see cref="HookRun"/>), so status
/// sees what the hooks see. It only reads (version, tags, show, ps): nothing is pulled, created, loaded or removed.
/// What still fails after the bounded retries becomes one plain problem line, explained as the hooks explain it.
/// </summary>
internal sealed class StatusProbe(OllamaConnection connection, HookPlan plan, HookOptions options, HookCredential? credential)
{
    public HookPlan Plan { get; } = plan;

    public async Task<InstanceStatus> InstanceAsync(string host, CancellationToken cancel)
    {
        var run = NewRun();
        string? version = null;
        try
        {
            version = await run.RetryAsync(token => connection.VersionAsync(options.RequestTimeout, token), cancel).ConfigureAwait(false);
            await run.ListAsync(cancel).ConfigureAwait(false);
            var models = await ModelsAsync(run, cancel).ConfigureAwait(false);
            var loaded = await LoadedAsync(run, cancel).ConfigureAwait(false);
            return new InstanceStatus(Plan.Instance, host, connection.BaseUrl, true, version, models, loaded, Problems(models, loaded)) { Replica = Plan.Replica };
        }
        catch (OllamaException e)
        {
            var reachable = version is not null || e.Kind is not (FailureKind.Unreachable or FailureKind.Timeout or FailureKind.Untrusted);
            var message = HookRunner.Explain(e, credential);
            return new InstanceStatus(Plan.Instance, host, connection.BaseUrl, reachable, version, [], [], [reachable ? message : $"unreachable: {message}{NotDeployedHint(e)}"]) { Replica = Plan.Replica };
        }
    }

    /// <summary>
    /// A refused connection is what a stack that was never deployed (or was destroyed) looks like: nothing listens at
    /// its address. Timeouts and untrusted certificates point elsewhere, so they get no such hint.
    /// </summary>
    private string NotDeployedHint(OllamaException e) => e.Kind is FailureKind.Unreachable
        ? $" — nothing answers there; if stack '{Plan.Stack}' is not deployed yet, run: homelab up {Plan.Stack}"
        : "";

    /// <summary>What the proxy answers a request that carries no credential: anything but 401/403 is a problem.</summary>
    public async Task<ProxyStatus> ProxyAsync(CancellationToken cancel)
    {
        try
        {
            var status = await NewRun().RetryAsync(connection.StatusWithoutCredentialsAsync, cancel).ConfigureAwait(false);
            return new ProxyStatus(connection.BaseUrl, status, status is 401 or 403 ? null : $"the proxy answered HTTP {status} to a request without credentials; it must refuse it");
        }
        catch (OllamaException e)
        {
            return new ProxyStatus(connection.BaseUrl, null, HookRunner.Explain(e, credential: null));
        }
    }

    /// <summary>The chat front end's health through the proxy, with the same retries; anything but status true is a problem.</summary>
    public async Task<WebuiStatus> WebuiAsync(WebuiConnection webui, CancellationToken cancel)
    {
        try
        {
            var healthy = await NewRun().RetryAsync(webui.HealthAsync, cancel).ConfigureAwait(false);
            return new WebuiStatus(webui.Plan.Url, healthy, healthy ? null : "the front end answered /health without status true");
        }
        catch (OllamaException e)
        {
            return new WebuiStatus(webui.Plan.Url, false, HookRunner.Explain(e, credential));
        }
    }

    /// <summary>Retries go unreported: status shows the outcome, not the attempts.</summary>
    private HookRun NewRun() => new(connection, Plan, options, new SilentConsole(), new HashSet<HookStep>());

    /// <summary>
    /// Declared models and the bases of custom ones, present or missing as the hooks read /api/tags; custom models
    /// compared with their stored definition exactly as the hooks decide whether to re-create them
    /// (<see cref="ModelDefinition.Differences"/>); then whatever else the instance holds.
    /// </summary>
    private async Task<IReadOnlyList<ModelStatus>> ModelsAsync(HookRun run, CancellationToken cancel)
    {
        var result = new List<ModelStatus>();
        foreach (var (name, state) in run.Models)
        {
            if (state.State is "missing")
            {
                result.Add(new ModelStatus(name.Written, ModelState.Missing, []));
                continue;
            }

            if (state.Spec is not { IsCustom: true } custom)
            {
                result.Add(new ModelStatus(name.Written, ModelState.Present, []));
                continue;
            }

            var stored = await run.RetryAsync(token => connection.ShowAsync(custom.Name.Written, token), cancel).ConfigureAwait(false);
            var baseModel = await run.RetryAsync(token => connection.ShowAsync(custom.From!.Written, token), cancel).ConfigureAwait(false);
            var differences = stored is null ? [] : ModelDefinition.Differences(custom, baseModel, stored);
            result.Add(new ModelStatus(name.Written, stored is null ? ModelState.Missing : differences.Count > 0 ? ModelState.Drifted : ModelState.Present, differences));
        }

        var kept = Plan.Kept();
        result.AddRange(run.Present.Where(p => !kept.Contains(p.Key)).Select(p => p.Value).Order(StringComparer.Ordinal).Select(name => new ModelStatus(name, ModelState.Extra, [])));
        return result;
    }

    private async Task<IReadOnlyList<LoadedModel>> LoadedAsync(HookRun run, CancellationToken cancel) =>
        (await run.RetryAsync(connection.PsAsync, cancel).ConfigureAwait(false))
            .Select(m => new LoadedModel(m.Name ?? m.ModelName ?? "unknown", m.Size, m.SizeVram, Expiry(m.ExpiresAt)))
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>expires_at as System.Text.Json read it: UTC or local when it carried an offset; none when absent.</summary>
    private static DateTimeOffset? Expiry(DateTime expires) =>
        expires == default ? null : new DateTimeOffset(expires.Kind is DateTimeKind.Unspecified ? DateTime.SpecifyKind(expires, DateTimeKind.Utc) : expires);

    private List<string> Problems(IReadOnlyList<ModelStatus> models, IReadOnlyList<LoadedModel> loaded)
    {
        var problems = new List<string>();
        foreach (var model in models)
        {
            switch (model.State)
            {
                case ModelState.Missing:
                    problems.Add($"model '{model.Name}' is missing — run: homelab hooks {Plan.Stack} --instance {Plan.Instance}");
                    break;
                case ModelState.Drifted:
                    problems.Add($"model '{model.Name}' differs from the stack: {string.Join("; ", model.Differences)} — the next hooks run re-creates it");
                    break;
                case ModelState.Extra when Plan.RemoveUndeclared:
                    problems.Add($"model '{model.Name}' is not declared and the instance sets removeUndeclared — the next hooks run removes it");
                    break;
            }
        }

        // The hooks' GPU proof (GpuCheck) holds after deploy too: on a GPU instance each loaded model keeps at least
        // the stack's minVramShare in GPU memory.
        if (Plan.Gpu is not GpuVendor.None)
        {
            problems.AddRange(loaded.Where(m => m.Size > 0 && m.VramRatio < Plan.MinVramShare - 1e-9).Select(m =>
                $"loaded model '{m.Name}' runs on the CPU{(m.SizeVram > 0 ? $" in part ({m.VramRatio:P0} in GPU memory)" : "")} although the instance has a GPU — {Plan.GpuCauses}"));
        }

        return problems;
    }
}
