using System.Globalization;

using HomeLab.Modules.Hooks;
using HomeLab.Spec;

using Polly;
using Polly.Retry;

namespace HomeLab.Status;

/// <summary>
/// Reads what one instance has, through the hooks' own client: the same URL, instance-pinning header, credential
/// and CA trust as the post-deploy hooks, so status sees what the hooks saw. It only reads (version, tags, show, ps):
/// nothing is pulled, created, loaded or removed. Network trouble and server errors are retried a bounded number of
/// times; what still fails becomes one plain problem line.
/// </summary>
internal sealed class StatusProbe
{
    private readonly OllamaClient client;
    private readonly HookOptions options;
    private readonly ResiliencePipeline transient;

    public StatusProbe(OllamaClient client, HookOptions options)
    {
        this.client = client;
        this.options = options;
        transient = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<OllamaException>(e => e.Transient),
            MaxRetryAttempts = Math.Max(options.Attempts - 1, 1),
            Delay = options.RetryDelay,
            MaxDelay = options.MaxRetryDelay,
            BackoffType = DelayBackoffType.Exponential,
        }).Build();
    }

    public async Task<InstanceStatus> InstanceAsync(HookPlan plan, InstanceSpec instance, CancellationToken cancel)
    {
        string? version = null;
        try
        {
            version = (await Retry(t => client.VersionAsync(options.RequestTimeout, t), cancel).ConfigureAwait(false)).Version ?? "unknown";
            var models = await ModelsAsync(plan, cancel).ConfigureAwait(false);
            var loaded = await LoadedAsync(cancel).ConfigureAwait(false);
            return new InstanceStatus(plan.Instance, instance.Host, client.BaseUrl, true, version, models, loaded, Problems(plan, instance, models, loaded));
        }
        catch (OllamaException e)
        {
            var reachable = version is not null || e.Kind is not (FailureKind.Unreachable or FailureKind.Timeout or FailureKind.Untrusted);
            return new InstanceStatus(plan.Instance, instance.Host, client.BaseUrl, reachable, version, [], [], [reachable ? e.Message : $"unreachable: {e.Message}"]);
        }
    }

    /// <summary>What the proxy answers a request that carries no credential: anything but 401/403 is a problem.</summary>
    public async Task<ProxyStatus> ProxyAsync(CancellationToken cancel)
    {
        try
        {
            var status = await Retry(t => client.StatusWithoutCredentialAsync(t), cancel).ConfigureAwait(false);
            return new ProxyStatus(client.BaseUrl, status, status is 401 or 403 ? null : $"the proxy answered HTTP {status} to a request without credentials; it must refuse it");
        }
        catch (OllamaException e)
        {
            return new ProxyStatus(client.BaseUrl, null, e.Message);
        }
    }

    /// <summary>
    /// Declared models and the bases of custom ones, each present or missing; custom models compared with their stored
    /// definition exactly as the hooks decide whether to re-create them (<see cref="ModelDefinition.Differences"/>);
    /// then whatever else the instance holds.
    /// </summary>
    private async Task<IReadOnlyList<ModelStatus>> ModelsAsync(HookPlan plan, CancellationToken cancel)
    {
        var tags = await Retry(t => client.TagsAsync(t), cancel).ConfigureAwait(false);
        var present = tags.Select(m => m.Name ?? m.Model).OfType<string>().Select(Names.CanonicalModel).ToHashSet(StringComparer.Ordinal);
        var result = plan.PullTargets()
            .Select(name => new ModelStatus(name, present.Contains(Names.CanonicalModel(name)) ? ModelState.Present : ModelState.Missing, []))
            .ToList();
        foreach (var custom in plan.CreationOrder())
        {
            var stored = present.Contains(Names.CanonicalModel(custom.Name))
                ? await Retry(t => client.ShowAsync(custom.Name, t), cancel).ConfigureAwait(false)
                : null;
            if (stored is null)
            {
                result.Add(new ModelStatus(custom.Name, ModelState.Missing, []));
                continue;
            }

            var baseModel = await Retry(t => client.ShowAsync(custom.From!, t), cancel).ConfigureAwait(false);
            var differences = ModelDefinition.Differences(custom, baseModel, stored);
            result.Add(new ModelStatus(custom.Name, differences.Count > 0 ? ModelState.Drifted : ModelState.Present, differences));
        }

        var kept = plan.Kept();
        result.AddRange(present.Where(name => !kept.Contains(name)).Order(StringComparer.Ordinal).Select(name => new ModelStatus(name, ModelState.Extra, [])));
        return result;
    }

    private async Task<IReadOnlyList<LoadedModel>> LoadedAsync(CancellationToken cancel) =>
        (await Retry(t => client.PsAsync(t), cancel).ConfigureAwait(false))
            .Select(m => new LoadedModel(
                m.Name ?? m.Model ?? "unknown",
                m.Size ?? 0,
                m.SizeVram ?? 0,
                DateTimeOffset.TryParse(m.ExpiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires) ? expires : null))
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();

    private static List<string> Problems(HookPlan plan, InstanceSpec instance, IReadOnlyList<ModelStatus> models, IReadOnlyList<LoadedModel> loaded)
    {
        var problems = new List<string>();
        foreach (var model in models)
        {
            switch (model.State)
            {
                case ModelState.Missing:
                    problems.Add($"model '{model.Name}' is missing — run: homelab hooks {plan.Stack} --instance {plan.Instance}");
                    break;
                case ModelState.Drifted:
                    problems.Add($"model '{model.Name}' differs from the stack: {string.Join("; ", model.Differences)} — the next hooks run re-creates it");
                    break;
                case ModelState.Extra when plan.RemoveUndeclared:
                    problems.Add($"model '{model.Name}' is not declared and the instance sets removeUndeclared — the next hooks run removes it");
                    break;
            }
        }

        // A model entirely in system memory on an instance that declares a GPU: the card is not being used.
        if (instance.Gpu.Vendor is not GpuVendor.None)
        {
            problems.AddRange(loaded.Where(m => m.Size > 0 && m.SizeVram == 0)
                .Select(m => $"loaded model '{m.Name}' runs entirely on the CPU although the instance declares a GPU"));
        }

        return problems;
    }

    private async Task<T> Retry<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancel) =>
        await transient.ExecuteAsync(async token => await call(token).ConfigureAwait(false), cancel).ConfigureAwait(false);
}
