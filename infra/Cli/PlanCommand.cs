using System.CommandLine;

using HomeLab.Modules;
using HomeLab.Program;
using HomeLab.Spec;

using Spectre.Console;

namespace HomeLab.Cli;

/// <summary>A readable overview: hosts, the resources HomeLab creates on each, and their key settings.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var stack = new Argument<string>("STACK") { Description = "Stack to show" };
        var command = new Command("plan", "Show hosts → resources → key settings for a stack (no Pulumi needed).") { stack };
        command.SetAction(result => Cli.Guard(() => Run(result.GetValue(stack)!)));
        return command;
    }

    private static int Run(string stack)
    {
        var workspace = Workspace.Find();
        var spec = workspace.Load(stack);
        var program = Compiler.Compile(spec, NixosModule.Load(workspace.Root));
        Terminal.Stdout().Write(Render(spec, program));
        return ExitCodes.Ok;
    }

    public static Tree Render(StackSpec spec, PulumiProgram program)
    {
        var tree = new Tree($"[bold]stack {Markup.Escape(spec.Name)}[/] [grey]({program.Resources.Count} resources)[/]");
        foreach (var host in spec.Hosts)
        {
            var where = host switch
            {
                DockerHostSpec { Ssh: { } ssh } => $"docker over {ssh.DockerHost}",
                DockerHostSpec => "local docker engine",
                NixosHostSpec nixos => $"nixos over ssh {nixos.Ssh.User}@{host.Address}:{nixos.Ssh.Port}, nixos-rebuild {nixos.Rebuild.ToString().ToLowerInvariant()}",
                _ => "",
            };
            var node = tree.AddNode($"[bold blue]{Markup.Escape(host.Name)}[/] [grey]{Markup.Escape(where)} · {Markup.Escape(host.Address)}[/]");
            foreach (var instance in spec.InstancesOn(host))
            {
                var instanceNode = node.AddNode($"[green]ollama {Markup.Escape(instance.Name)}[/] {Markup.Escape(Summary(instance, host))}");
                foreach (var model in instance.Models)
                {
                    var extra = model.IsCustom ? $" from {model.From}" : "";
                    instanceNode.AddNode(Markup.Escape($"{model.Name} ({model.Kind.ToString().ToLowerInvariant()}{extra}{(model.Warm ? ", warm" : "")})"));
                }
            }

            if (host is NixosHostSpec nixosHost)
            {
                node.AddNode($"[grey]after a reinstall: {Markup.Escape(NixosOllama.ReinstallCommand(spec, nixosHost))}[/]");
            }

            if (spec.Proxy is { } proxy && proxy.Host == host.Name)
            {
                var proxyNode = node.AddNode($"[yellow]proxy[/] {Markup.Escape(Compiler.ProxyUrl(spec, proxy))} tls={proxy.Tls.ToString().ToLowerInvariant()} auth={Markup.Escape(AuthSummary(proxy.Auth))}");
                foreach (var route in proxy.Routes)
                {
                    proxyNode.AddNode(Markup.Escape($"{route.Prefix} → {string.Join(", ", route.Instances)} ({route.Balance.ToString().ToLowerInvariant()})"));
                }
            }
        }

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

        parts.Add(instance.Gpu.Vendor is GpuVendor.None ? "cpu" : $"gpu {instance.Gpu.Vendor.ToString().ToLowerInvariant()}" +
            (instance.Gpu.Count is { } n ? $"×{n}" : instance.Gpu.DeviceIds.Count > 0 ? $" [{string.Join(",", instance.Gpu.DeviceIds)}]" : ""));
        if (instance.Resources.MemoryBytes is { } memory)
        {
            parts.Add($"mem {memory / (1L << 30)}GiB");
        }

        if (instance.Resources.Cpus is { } cpus)
        {
            parts.Add($"cpus {cpus}");
        }

        if (instance.Resources.Priority is { } priority)
        {
            parts.Add($"priority {priority.ToString().ToLowerInvariant()}");
        }

        if (host is NixosHostSpec)
        {
            parts.Add(instance.Storage.Path is { } nixosPath ? $"models at {nixosPath}/models" : "models at /var/lib/ollama/models");
            parts.Add($"listens on 127.0.0.1:{instance.Port}");
            return "· " + string.Join(" · ", parts);
        }

        parts.Add(instance.Storage.Path is { } path ? $"models at {path}" : $"models in volume {instance.Storage.Volume}");
        parts.Add(instance.Publish is { } publish ? $"published {publish.Bind}:{publish.Port}" : "not published");
        return "· " + string.Join(" · ", parts);
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
