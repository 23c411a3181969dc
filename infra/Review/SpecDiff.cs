using HomeLab.Conventions;
using HomeLab.Spec;
using HomeLab.Spec.Shape;

namespace HomeLab.Review;

/// <summary>
/// Compares two versions of a stack file in its own terms: per instance the models added, removed and changed (a
/// custom model's base, system prompt and parameters), its tuning, limits, GPU, storage and publishing; the proxy's
/// routes, credentials (by secret key name), ports and TLS; the hooks; the hosts. Values read back in the stack
/// file's words. Pure.
/// </summary>
internal static class SpecDiff
{
    public static IReadOnlyList<SectionChange> Compare(StackSpec? before, StackSpec? after)
    {
        if (before is null || after is null)
        {
            return [];
        }

        var sections = new List<SectionChange?>();
        foreach (var name in Union(before.Hosts.Select(h => h.Name), after.Hosts.Select(h => h.Name)))
        {
            sections.Add(Section($"host {name}", Find(before.Hosts, name, h => h.Name) is { } b ? Host(b) : null, Find(after.Hosts, name, h => h.Name) is { } a ? Host(a) : null));
        }

        foreach (var name in Union(before.Instances.Select(i => i.Name), after.Instances.Select(i => i.Name)))
        {
            sections.Add(Instance(name, Find(before.Instances, name, i => i.Name), Find(after.Instances, name, i => i.Name)));
        }

        sections.Add(Section("proxy", before.Proxy is { } oldProxy ? Proxy(oldProxy) : null, after.Proxy is { } newProxy ? Proxy(newProxy) : null));
        sections.Add(Section("hooks", Hooks(before.Hooks), Hooks(after.Hooks)));
        return sections.OfType<SectionChange>().ToList();
    }

    private static T? Find<T>(IEnumerable<T> items, string name, Func<T, string> nameOf)
        where T : class => items.FirstOrDefault(i => nameOf(i) == name);

    /// <summary>Names in <paramref name="after"/> order, then those only in <paramref name="before"/>.</summary>
    private static IEnumerable<string> Union(IEnumerable<string> before, IEnumerable<string> after) => after.Concat(before).Distinct(StringComparer.Ordinal);

    private static SectionChange? Section(string name, List<(string Key, string Value)>? before, List<(string Key, string Value)>? after, List<SettingChange>? more = null)
    {
        if (before is null && after is null)
        {
            return null;
        }

        var settings = Settings(before ?? [], after ?? []);
        settings.AddRange(more ?? []);
        var kind = before is null ? ChangeKind.Added : after is null ? ChangeKind.Removed : ChangeKind.Changed;
        return settings.Count > 0 || kind is not ChangeKind.Changed ? new SectionChange(name, kind, settings) : null;
    }

    private static List<SettingChange> Settings(List<(string Key, string Value)> before, List<(string Key, string Value)> after)
    {
        var old = before.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var now = after.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        return Union(before.Select(s => s.Key), after.Select(s => s.Key))
            .Select(key => new SettingChange(key, old.GetValueOrDefault(key), now.GetValueOrDefault(key)))
            .Where(s => s.Before != s.After)
            .ToList();
    }

    private static List<(string, string)> Host(HostSpec host)
    {
        var settings = new List<(string, string)> { ("kind", host switch { NixosHostSpec => "nixos", KubernetesHostSpec => "kubernetes", _ => "docker" }), ("address", host.Address) };
        switch (host)
        {
            case DockerHostSpec docker:
                settings.Add(("engine", docker.Ssh?.DockerHost ?? "local"));
                break;
            case NixosHostSpec nixos:
                settings.Add(("ssh.user", nixos.Ssh.User));
                settings.Add(("ssh.port", StackText.Number(nixos.Ssh.Port)));
                Add(settings, "ssh.privateKey", nixos.Ssh.PrivateKeySecret);
                settings.Add(("moduleDir", nixos.ModuleDir));
                settings.Add(("rebuild", SpecShape.Rebuilds.Of(nixos.Rebuild)));
                settings.Add(("sudo", StackText.Flag(nixos.Sudo)));
                break;
            case KubernetesHostSpec cluster:
                Add(settings, "kubeconfig", cluster.Kubeconfig);
                Add(settings, "context", cluster.Context);
                Add(settings, "namespace", cluster.Namespace);
                Add(settings, "storageClass", cluster.StorageClass);
                settings.Add(("runtimeClass", cluster.RuntimeClass));
                Add(settings, "gpuResource", cluster.GpuResource);
                Add(settings, "amdGroups", cluster.AmdGroups.SequenceEqual(KubernetesNames.AmdDeviceGroups) ? null : $"[{string.Join(", ", cluster.AmdGroups)}]");
                settings.Add(("proxyService", SpecShape.ProxyServices.Of(cluster.ProxyService)));
                break;
        }

        return settings;
    }

    private static SectionChange? Instance(string name, InstanceSpec? before, InstanceSpec? after)
    {
        var models = new List<SettingChange>();
        foreach (var model in Union(before?.Models.Select(m => m.Name.Written) ?? [], after?.Models.Select(m => m.Name.Written) ?? []))
        {
            var (old, now) = (before?.Models.FirstOrDefault(m => m.Name.Written == model), after?.Models.FirstOrDefault(m => m.Name.Written == model));
            if (old is null || now is null)
            {
                models.Add(new SettingChange($"model {model}", old is null ? null : ModelSummary(old), now is null ? null : ModelSummary(now)));
            }
            else
            {
                models.AddRange(Settings(ModelDetails(old), ModelDetails(now)).Select(s => s with { Setting = $"model {model} {s.Setting}" }));
            }
        }

        return Section($"instance {name}", before is null ? null : InstanceSettings(before), after is null ? null : InstanceSettings(after), models);
    }

    private static List<(string, string)> InstanceSettings(InstanceSpec instance)
    {
        var settings = new List<(string, string)> { ("host", instance.Host) };
        Add(settings, "image", instance.Image);
        var gpu = instance.Gpu;
        settings.Add(("gpu", SpecShape.GpuVendors.Of(gpu.Vendor) + (gpu.Count is { } count ? $", count {count}" : gpu.DeviceIds.Count > 0 ? $", devices [{string.Join(", ", gpu.DeviceIds)}]" : "")));
        Add(settings, "resources.memory", instance.Resources.MemoryBytes is { } memory ? StackText.Size(memory) : null);
        Add(settings, "resources.cpus", instance.Resources.Cpus is { } cpus ? StackText.Number(cpus) : null);
        Add(settings, "resources.shm", instance.Resources.SharedMemoryBytes is { } shm ? StackText.Size(shm) : null);
        Add(settings, "resources.priority", instance.Resources.Priority is { } priority ? SpecShape.Priorities.Of(priority) : null);
        settings.Add(("storage", instance.Storage.Path is { } path ? $"path {path}" : $"volume {instance.Storage.Volume}"));
        settings.AddRange(StackText.Tuning(instance.Tuning).Select(t => ($"tuning.{t.Key}", t.Value)));
        settings.AddRange(instance.Environment.Select(e => ($"env.{e.Key}", e.Value)));
        Add(settings, "publish", instance.Publish is { } publish ? $"{publish.Bind}:{publish.Port}" : null);
        settings.Add(("port", StackText.Number(instance.Port)));
        settings.Add(("removeUndeclared", StackText.Flag(instance.RemoveUndeclared)));
        Add(settings, "replicas", instance.Replicas != 1 ? StackText.Number(instance.Replicas) : null);
        Add(settings, "storage.size", instance.Storage.SizeBytes is { } size ? StackText.Size(size) : null);
        settings.AddRange(instance.NodeSelector.Select(label => ($"nodeSelector.{label.Key}", label.Value)));
        return settings;
    }

    private static string ModelSummary(ModelSpec model) =>
        SpecShape.ModelKinds.Of(model.Kind) + (model.Warm ? ", warm" : "") + (model.From is { } from ? $", from {from}" : "");

    private static List<(string, string)> ModelDetails(ModelSpec model)
    {
        var settings = new List<(string, string)> { ("type", SpecShape.ModelKinds.Of(model.Kind)), ("warm", StackText.Flag(model.Warm)) };
        Add(settings, "from", model.From?.Written);
        Add(settings, "system", model.System is { } system ? Quote(system) : null);
        settings.AddRange(model.Parameters.Select(p => ($"parameters.{p.Name}", p.Text)));
        return settings;
    }

    private static List<(string, string)> Proxy(ProxySpec proxy)
    {
        var settings = new List<(string, string)> { ("host", proxy.Host) };
        Add(settings, "image", proxy.Image);
        settings.Add(("domain", proxy.Domain));
        settings.Add(("tls", SpecShape.TlsModes.Of(proxy.Tls)));
        Add(settings, "acmeEmail", proxy.AcmeEmail);
        settings.Add(("ports.http", StackText.Number(proxy.HttpPort)));
        settings.Add(("ports.https", StackText.Number(proxy.HttpsPort)));
        settings.Add(("bind", proxy.Bind));

        // Credentials by the name of their secret config key: the values live in Pulumi's encrypted config.
        Add(settings, "auth.bearerTokens", proxy.Auth.BearerTokenSecrets.Count > 0 ? string.Join(", ", proxy.Auth.BearerTokenSecrets) : null);
        Add(settings, "auth.apiKeys.header", proxy.Auth.ApiKeys?.Header);
        Add(settings, "auth.apiKeys.keys", proxy.Auth.ApiKeys is { } keys ? string.Join(", ", keys.KeySecrets) : null);
        settings.AddRange(proxy.Auth.BasicAuth.Select(u => ($"auth.basicAuth.{u.User}", $"passwordHash {u.PasswordHashSecret}")));
        foreach (var route in proxy.Routes)
        {
            settings.Add(($"route {route.Prefix} to", string.Join(", ", route.Instances)));
            settings.Add(($"route {route.Prefix} balance", SpecShape.Balances.Of(route.Balance)));
        }

        return settings;
    }

    private static List<(string, string)> Hooks(HooksSpec hooks) =>
    [
        ("enabled", StackText.Flag(hooks.Enabled)),
        ("via", SpecShape.HookPaths.Of(hooks.Via)),
        ("readyTimeout", StackText.Duration(hooks.ReadyTimeout)),
        ("pullConcurrency", StackText.Number(hooks.PullConcurrency)),
        ("verify", StackText.Flag(hooks.Verify)),
        ("stallTimeout", StackText.Duration(hooks.StallTimeout)),
    ];

    private static void Add(List<(string, string)> settings, string key, string? value)
    {
        if (value is not null)
        {
            settings.Add((key, value));
        }
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
