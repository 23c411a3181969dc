using HomeLab.Spec;

namespace HomeLab.Modules.Hooks;

internal enum HookStep
{
    Wait,
    Pull,
    Create,
    Remove,
    Warm,
    Verify,
}

/// <summary>
/// What the hooks do for one instance, derived from the stack alone: where to reach it, which credential to present,
/// which models must be there and how. A base URL and a credential are all the runtime needs.
/// </summary>
internal sealed record HookPlan(
    string Stack,
    string Instance,
    Uri BaseUrl,
    HookPath Via,
    CredentialVariable? Credential,
    bool ProxyRequiresAuth,
    IReadOnlyList<ModelSpec> Models,
    bool RemoveUndeclared,
    string? KeepAlive,
    TimeSpan ReadyTimeout,
    int PullConcurrency,
    bool Verify,
    TimeSpan StallTimeout)
{
    public static readonly IReadOnlyList<HookStep> AllSteps = Enum.GetValues<HookStep>();

    public static HookPlan For(StackSpec spec, InstanceSpec instance)
    {
        var proxied = spec.Hooks.Via is HookPath.Proxy && spec.Proxy is not null;
        var auth = proxied ? spec.Proxy!.Auth : AuthSpec.None;
        return new HookPlan(
            spec.Name,
            instance.Name,
            UrlFor(spec, instance),
            proxied ? HookPath.Proxy : HookPath.Direct,
            HookCredential.Choose(auth),
            !auth.IsOpen,
            instance.Models,
            instance.RemoveUndeclared,
            instance.Tuning.KeepAlive,
            spec.Hooks.ReadyTimeout,
            spec.Hooks.PullConcurrency,
            spec.Hooks.Verify,
            spec.Hooks.StallTimeout);
    }

    /// <summary>
    /// Through the proxy: its URL, with every request naming the instance in <see cref="CaddyProxy.InstanceHeader"/>
    /// (a load-balanced route would otherwise send a pull to whichever upstream it picks). Directly: the published
    /// port on the host's address, or the NixOS service port.
    /// </summary>
    public static Uri UrlFor(StackSpec spec, InstanceSpec instance)
    {
        if (spec.Hooks.Via is HookPath.Proxy && spec.Proxy is { } proxy)
        {
            return new Uri(Compiler.ProxyUrl(spec, proxy) + "/");
        }

        var host = spec.Host(instance.Host);
        var port = instance.Publish?.Port ?? instance.Port;
        return new Uri($"http://{host.Address}:{port}/");
    }

    /// <summary>The instance the proxy must send every hook request to, or null when the hooks go direct.</summary>
    public string? PinnedInstance => Via is HookPath.Proxy ? Instance : null;

    /// <summary>Models to pull: the declared plain models and the bases of custom ones that are not themselves declared as custom.</summary>
    public IReadOnlyList<string> PullTargets()
    {
        var custom = Models.Where(m => m.IsCustom).Select(m => Names.CanonicalModel(m.Name)).ToHashSet(StringComparer.Ordinal);
        return Models.Where(m => !m.IsCustom).Select(m => m.Name)
            .Concat(Models.Where(m => m.IsCustom).Select(m => m.From!))
            .Where(name => !custom.Contains(Names.CanonicalModel(name)))
            .DistinctBy(Names.CanonicalModel)
            .ToList();
    }

    /// <summary>Custom models, each after any custom model it is built from.</summary>
    public IReadOnlyList<ModelSpec> CreationOrder()
    {
        var custom = Models.Where(m => m.IsCustom).ToDictionary(m => Names.CanonicalModel(m.Name), StringComparer.Ordinal);
        var ordered = new List<ModelSpec>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        void Place(ModelSpec model, int depth)
        {
            var key = Names.CanonicalModel(model.Name);
            if (placed.Contains(key) || depth > custom.Count)
            {
                return;
            }

            if (custom.TryGetValue(Names.CanonicalModel(model.From!), out var parent))
            {
                Place(parent, depth + 1);
            }

            if (placed.Add(key))
            {
                ordered.Add(model);
            }
        }

        foreach (var model in Models.Where(m => m.IsCustom))
        {
            Place(model, 0);
        }

        return ordered;
    }

    /// <summary>Everything the instance should keep: declared models and the bases they are built from.</summary>
    public IReadOnlySet<string> Kept() =>
        Models.Select(m => m.Name).Concat(Models.Where(m => m.IsCustom).Select(m => m.From!)).Select(Names.CanonicalModel).ToHashSet(StringComparer.Ordinal);
}
