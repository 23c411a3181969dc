using HomeLab.Conventions;
using HomeLab.Hooks;
using HomeLab.Modules;
using HomeLab.Modules.Docker;
using HomeLab.Modules.Hooks;
using HomeLab.Modules.Kubernetes;
using HomeLab.Modules.Nixos;
using HomeLab.Modules.Proxy;
using HomeLab.Program;
using HomeLab.Spec;

namespace HomeLab;

/// <summary>Turns a validated stack into its Pulumi program. Pure: same spec, same program.</summary>
internal static class Compiler
{
    /// <param name="spec">The validated stack.</param>
    /// <param name="nixosModule">The text of nix/homelab.nix for NixOS hosts; by default the copy built into this binary.</param>
    public static PulumiProgram Compile(StackSpec spec, string? nixosModule = null)
    {
        var program = new ProgramBuilder(spec.Name);
        var sites = DockerHosts.Add(program, spec);
        var containers = new Dictionary<string, Resource>(StringComparer.Ordinal);
        foreach (var instance in spec.Instances)
        {
            if (sites.TryGetValue(instance.Host, out var site))
            {
                containers[instance.Name] = DockerOllama.Add(program, spec, instance, site);
                program.Output($"{instance.Name}Endpoint", spec.InternalUrl(instance));
            }
        }

        // On a NixOS host the rebuild step is what serves its instance (and the proxy, when it runs there).
        foreach (var host in spec.Hosts.OfType<NixosHostSpec>())
        {
            if (NixosOllama.Add(program, spec, host, nixosModule ?? NixosModule.Bundled) is { } rebuild)
            {
                foreach (var instance in spec.InstancesOn(host))
                {
                    containers[instance.Name] = rebuild;
                    program.Output($"{instance.Name}Endpoint", spec.InternalUrl(instance));
                }
            }
        }

        var clusters = KubernetesCluster.Add(program, spec);
        foreach (var instance in spec.Instances)
        {
            if (clusters.TryGetValue(instance.Host, out var cluster))
            {
                containers[instance.Name] = KubernetesOllama.Add(program, instance, cluster);
                program.Output($"{instance.Name}Endpoint", spec.InternalUrl(instance));
            }
        }

        Resource? proxyContainer = null;
        var proxyReady = new List<Ref>();
        Ref? webuiReady = null;
        if (spec.Proxy is { } proxy)
        {
            if (sites.TryGetValue(proxy.Host, out var proxySite))
            {
                proxyContainer = CaddyContainer.Add(program, spec, proxy, proxySite, containers);
                proxyReady.Add(new Ref(proxyContainer.Name));
            }
            else if (clusters.TryGetValue(proxy.Host, out var proxyCluster))
            {
                // The front end runs beside the proxy (WebuiChecks), which forwards to it as to the instances.
                var frontEnd = spec.Webui is { } clusterWebui ? KubernetesWebui.Add(program, spec, clusterWebui, proxyCluster) : null;
                webuiReady = frontEnd is null ? null : new Ref(frontEnd.Name);
                proxyReady.AddRange(KubernetesProxy.Add(program, spec, proxy, proxyCluster, [.. containers.Values, .. frontEnd is null ? [] : new[] { frontEnd }]).Select(r => new Ref(r.Name)));
            }

            program.Output("proxyUrl", proxy.Url);
            if (spec.Webui is { } webui)
            {
                if (sites.TryGetValue(webui.Host, out var webuiSite))
                {
                    webuiReady = new Ref(DockerWebui.Add(program, spec, webui, webuiSite, containers).Name);
                }

                program.Output("webuiUrl", proxy.UrlFor(webui.Domain));
            }
        }

        var instancesByName = spec.Instances.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var (name, container) in containers)
        {
            // A StatefulSet's uid changes exactly when it is replaced, as a container's id does.
            var replacedWhen = container.Type == "kubernetes:apps/v1:StatefulSet" ? container.Output("metadata.uid") : container.Output("id");
            // Verify checks the front end that talks to the instance too, so it must be up first.
            var frontEnd = webuiReady is { } ready && spec.Webui!.Instances.Contains(name) ? [ready] : Array.Empty<Ref>();
            PostDeployHooks.Add(program, spec, instancesByName[name], replacedWhen, [new Ref(container.Name), .. proxyReady, .. frontEnd]);
        }

        return program.Build($"HomeLab stack '{spec.Name}': {spec.Instances.Count} Ollama instance(s) on {spec.Hosts.Count} host(s).");
    }
}
