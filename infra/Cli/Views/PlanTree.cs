using HomeLab.Conventions;
using HomeLab.Modules;
using HomeLab.Modules.Nixos;
using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Spec.Shape;
using HomeLab.Workspace;

using Spectre.Console;

namespace HomeLab.Cli.Views;

/// <summary>The plan as a tree: hosts, the resources HomeLab creates on each, and their key settings. Pure.</summary>
internal static class PlanTree
{
    /// <param name="config">The stack's Pulumi config, to say whether each secret is set; null when none is readable.</param>
    public static Tree Render(StackSpec spec, PulumiProgram program, StackSecretConfig? config)
    {
        var tree = new Tree($"[bold]stack {Markup.Escape(spec.Name)}[/] [grey]({program.Resources.Count} resources)[/]");
        foreach (var host in spec.Hosts)
        {
            var where = host switch
            {
                DockerHostSpec { Ssh: { } ssh } => $"docker over {ssh.DockerHost}",
                DockerHostSpec => "local docker engine",
                NixosHostSpec nixos => $"nixos over ssh {nixos.Ssh.User}@{host.Address}:{nixos.Ssh.Port}, nixos-rebuild {SpecShape.Rebuilds.Of(nixos.Rebuild)}",
                KubernetesHostSpec cluster => $"kubernetes {cluster.Context ?? "current context"} of {cluster.Kubeconfig ?? "the default kubeconfig"}, namespace {KubernetesNames.Namespace(spec.Name, cluster.Namespace)}, proxy service {SpecShape.ProxyServices.Of(cluster.ProxyService)}",
                _ => "",
            };
            var node = tree.AddNode($"[bold blue]{Markup.Escape(host.Name)}[/] [grey]{Markup.Escape(where)} · {Markup.Escape(host.Address)}[/]");
            foreach (var instance in spec.InstancesOn(host))
            {
                var instanceNode = node.AddNode($"[green]ollama {Markup.Escape(instance.Name)}[/] {Markup.Escape(Summary(instance, host))}");
                if (Tuning(instance) is { Length: > 0 } tuning)
                {
                    instanceNode.AddNode($"[grey]tuning[/] {Markup.Escape(tuning)}");
                }

                foreach (var model in instance.Models)
                {
                    var extra = model.IsCustom ? $" from {model.From}" : "";
                    instanceNode.AddNode(Markup.Escape($"{model.Name} ({SpecShape.ModelKinds.Of(model.Kind)}{extra}{(model.Warm ? ", warm" : "")})"));
                }
            }

            if (host is NixosHostSpec nixosHost)
            {
                node.AddNode($"[grey]after a reinstall: {Markup.Escape(NixosOllama.ReinstallCommand(spec, nixosHost))}[/]");
            }

            if (spec.Proxy is { } proxy && proxy.Host == host.Name)
            {
                var proxyNode = node.AddNode($"[yellow]proxy[/] {Markup.Escape(proxy.Url)} tls={SpecShape.TlsModes.Of(proxy.Tls)} auth={Markup.Escape(AuthSummary(proxy.Auth))}");
                proxyNode.AddNode(Markup.Escape(proxy.Tls is TlsMode.Off
                    ? $"listens on {proxy.Bind}: http {proxy.HttpPort}"
                    : $"listens on {proxy.Bind}: http {proxy.HttpPort}, https {proxy.HttpsPort}"));
                foreach (var route in proxy.Routes)
                {
                    proxyNode.AddNode(Markup.Escape($"{route.Prefix} → {string.Join(", ", route.Instances)} ({SpecShape.Balances.Of(route.Balance)})"));
                }

                if (spec.Webui is { } webui)
                {
                    var webuiNode = node.AddNode($"[yellow]chat front end[/] {Markup.Escape(proxy.UrlFor(webui.Domain))} signIn={SpecShape.SignInModes.Of(webui.SignIn)}");
                    webuiNode.AddNode(Markup.Escape($"Open WebUI {(host is NixosHostSpec ? "(services.open-webui)" : webui.Image ?? Pins.WebuiImage)} → {string.Join(", ", webui.Instances)}"));
                    webuiNode.AddNode(Markup.Escape(host switch
                    {
                        NixosHostSpec => "data: /var/lib/open-webui",
                        KubernetesHostSpec cluster => $"data: claim {KubernetesNames.WebuiData}, {StackText.Size(webui.Storage.SizeBytes ?? SpecShape.WebuiClaimBytes)} of class {cluster.StorageClass ?? "(cluster default)"}",
                        _ => $"data: {webui.Storage.Path ?? "volume " + webui.Storage.Volume}",
                    }));
                }
            }
        }

        var hooks = spec.Hooks;
        tree.AddNode(Markup.Escape(hooks.Enabled
            ? $"hooks: via {SpecShape.HookPaths.Of(hooks.Via)} · readyTimeout {StackText.Duration(hooks.ReadyTimeout)} · pullConcurrency {hooks.PullConcurrency} · " +
                $"stallTimeout {StackText.Duration(hooks.StallTimeout)} · verify {StackText.Flag(hooks.Verify)}"
            : "hooks: off (models are not pulled or checked after deploy)"));
        AddSecrets(tree, spec, config);

        var resources = tree.AddNode("[bold]resources[/]");
        foreach (var resource in program.Resources)
        {
            resources.AddNode($"{Markup.Escape(resource.Type)} [grey]{Markup.Escape(resource.Name)}[/]");
        }

        return tree;
    }

    private static string Summary(InstanceSpec instance, HostSpec host)
    {
        var parts = new List<string>();
        if (instance.Image is not null)
        {
            parts.Add(instance.Image);
        }

        parts.Add(instance.Gpu.Vendor is GpuVendor.None ? "cpu" : $"gpu {SpecShape.GpuVendors.Of(instance.Gpu.Vendor)}" +
            (instance.Gpu.Count is { } n ? $"×{n}" : instance.Gpu.DeviceIds.Count > 0 ? $" [{string.Join(",", instance.Gpu.DeviceIds)}]" : ""));
        if (instance.Resources.MemoryBytes is { } memory)
        {
            parts.Add($"mem {StackText.Size(memory)}");
        }

        if (instance.Resources.Cpus is { } cpus)
        {
            parts.Add($"cpus {StackText.Number(cpus)}");
        }

        if (instance.Resources.SharedMemoryBytes is { } shm)
        {
            parts.Add($"shm {StackText.Size(shm)}");
        }

        if (instance.Resources.Priority is { } priority)
        {
            parts.Add($"priority {SpecShape.Priorities.Of(priority)}");
        }

        if (host is NixosHostSpec)
        {
            parts.Add(instance.Storage.Path is { } nixosPath ? $"models at {nixosPath}/models" : "models at /var/lib/ollama/models");
            parts.Add($"listens on {Endpoints.LoopbackUpstream(instance.Port)}");
            return "· " + string.Join(" · ", parts);
        }

        if (host is KubernetesHostSpec cluster)
        {
            parts.Add($"{instance.Replicas} replica(s), each with a {StackText.Size(instance.Storage.SizeBytes ?? SpecShape.ModelClaimBytes)} volume of class {cluster.StorageClass ?? "(cluster default)"}");
            if (instance.Gpu.Vendor is not GpuVendor.None)
            {
                parts.Add($"{instance.Gpu.Count ?? 1} × {cluster.GpuResource ?? SpecShape.GpuResourceFor(instance.Gpu.Vendor)}");
            }

            parts.AddRange(instance.NodeSelector.Select(label => $"on nodes with {label.Key}={label.Value}"));
            return "· " + string.Join(" · ", parts);
        }

        parts.Add(instance.Storage.Path is { } path ? $"models at {path}" : $"models in volume {instance.Storage.Volume}");
        parts.Add(instance.Publish is { } publish ? $"published {publish.Bind}:{publish.Port}" : "not published");
        return "· " + string.Join(" · ", parts);
    }

    /// <summary>The tuning the stack sets, in its own words; Ollama's defaults apply to the rest.</summary>
    private static string Tuning(InstanceSpec instance) =>
        string.Join(" · ", StackText.Tuning(instance.Tuning).Select(t => $"{t.Key} {t.Value}").Concat(instance.Environment.Select(e => $"env {e.Key}")));

    /// <summary>Each secret config key with what it is for and, when the config is readable, whether it is set. Never a value.</summary>
    private static void AddSecrets(Tree tree, StackSpec spec, StackSecretConfig? config)
    {
        var secrets = SecretRequirement.Of(spec);
        if (secrets.Count == 0)
        {
            tree.AddNode("secrets: none");
            return;
        }

        var node = tree.AddNode(Markup.Escape(config is null
            ? $"secrets (set them with {SecretCommands.SetMissing(spec.Name)}; no stack config readable here, so not checked)"
            : $"secrets (checked in {config.Source})"));
        foreach (var (key, _, purpose) in secrets)
        {
            var state = config?.State(key) switch
            {
                null => "",
                SecretState.Set => " · [green]set[/]",
                SecretState.PlainText => " · [yellow]set in plain text[/] — " + Markup.Escape($"{SecretCommands.Remove(key, spec.Name)}, then {SecretCommands.SetMissing(spec.Name)}"),
                _ => " · [red]not set[/] — " + Markup.Escape(SecretCommands.SetMissing(spec.Name)),
            };
            node.AddNode($"{Markup.Escape(key)} [grey]({Markup.Escape(purpose)})[/]{state}");
        }
    }

    private static string AuthSummary(AuthSpec auth)
    {
        if (auth.IsOpen)
        {
            return "none";
        }

        var parts = new List<string>();
        if (auth.BearerTokenSecrets.Count > 0)
        {
            parts.Add($"{auth.BearerTokenSecrets.Count} bearer token(s)");
        }

        if (auth.ApiKeys is { } keys)
        {
            parts.Add($"{keys.KeySecrets.Count} API key(s) in {keys.Header}");
        }

        if (auth.BasicAuth.Count > 0)
        {
            parts.Add($"basic auth for {string.Join(", ", auth.BasicAuth.Select(u => u.User))}");
        }

        return string.Join(", ", parts);
    }
}
