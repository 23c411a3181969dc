using HomeLab.Conventions;
using HomeLab.Spec.Yaml;

namespace HomeLab.Spec;

/// <summary>Checks that need the whole file: references, duplicates, ports, and settings that contradict their host.</summary>
internal static class CrossChecks
{
    public static void Run(StackSpec spec, IReadOnlyList<IHostRules> targetRules, NodeReader r)
    {
        var hosts = spec.Hosts.ToDictionary(h => h.Name);
        foreach (var instance in spec.Instances)
        {
            if (instance.Host.Length > 0 && !hosts.ContainsKey(instance.Host))
            {
                r.Error(instance.At, $"instance '{instance.Name}' runs on host '{instance.Host}', which is not declared", Suggest.Fix(instance.Host, hosts.Keys, "hosts"));
            }

            if (hosts.GetValueOrDefault(instance.Host) is { } host)
            {
                foreach (var rules in targetRules)
                {
                    rules.Check(instance, host, r);
                }
            }

            if (hosts.GetValueOrDefault(instance.Host) is NixosHostSpec nixos && spec.InstancesOn(nixos).First() is var first && first.Name != instance.Name)
            {
                r.Error(instance.At, $"instance '{instance.Name}' is the second instance on NixOS host '{nixos.Name}', which runs one Ollama service ('{first.Name}')",
                    $"move '{instance.Name}' to another host, or declare its models on '{first.Name}'");
            }

            var seen = new HashSet<ModelName>();
            foreach (var model in instance.Models.Where(m => !seen.Add(m.Name)))
            {
                r.Error(model.At, $"model '{model.Name}' is declared twice on instance '{instance.Name}'", "keep one entry (Ollama reads names without case and fills in registry.ollama.ai/library/ and :latest, so 'Llama3.2' and 'llama3.2:latest' are the same model)");
            }
        }

        if (spec.Proxy is { } proxy)
        {
            CheckProxy(spec, proxy, hosts, r);
        }

        CheckPorts(spec, hosts, r);
        CheckReachableOnClusters(spec, hosts, r);
    }

    /// <summary>
    /// Without hooks nothing else asks whether a Kubernetes instance can be reached: its NetworkPolicy admits only the
    /// proxy's pods (and the front end's), so an instance neither sends to would run, hold its GPU and answer nobody. (With hooks on,
    /// the checks of the hooks' path report the same instance.)
    /// </summary>
    private static void CheckReachableOnClusters(StackSpec spec, Dictionary<string, HostSpec> hosts, NodeReader r)
    {
        if (spec.Hooks.Enabled)
        {
            return;
        }

        // The front end's pods may open the instances it talks to too (KubernetesPolicies).
        var routed = (spec.Proxy?.Routes.SelectMany(route => route.Instances) ?? []).Concat(spec.Webui?.Instances ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var instance in spec.Instances.Where(i => hosts.GetValueOrDefault(i.Host) is KubernetesHostSpec && !routed.Contains(i.Name)))
        {
            r.Error(instance.At, $"instance '{instance.Name}' on Kubernetes host '{instance.Host}' can be reached by nobody: its NetworkPolicy admits only the proxy's pods, and {(spec.Proxy is null ? "the stack has no proxy" : "no proxy route sends to it")}",
                spec.Proxy is null
                    ? $"add a proxy on host '{instance.Host}' with a route to it, e.g. 'proxy: {{ host: {instance.Host}, domain: ollama.home.arpa, routes: [{{ to: {instance.Name} }}] }}'"
                    : $"add '{instance.Name}' to a route's 'to:' list, or remove the instance");
        }
    }

    private static void CheckProxy(StackSpec spec, ProxySpec proxy, Dictionary<string, HostSpec> hosts, NodeReader r)
    {
        if (proxy.Host.Length > 0 && !hosts.ContainsKey(proxy.Host))
        {
            r.Error(proxy.At, $"proxy runs on host '{proxy.Host}', which is not declared", Suggest.Fix(proxy.Host, hosts.Keys, "hosts"));
        }

        if (hosts.GetValueOrDefault(proxy.Host) is KubernetesHostSpec cluster && proxy.Bind != "0.0.0.0")
        {
            r.Error(proxy.At, $"proxy sets 'bind: {proxy.Bind}' but runs on Kubernetes host '{cluster.Name}'", "remove 'bind'; on Kubernetes the host's 'proxyService' decides where the proxy is reachable");
        }

        if (hosts.GetValueOrDefault(proxy.Host) is NixosHostSpec nixos)
        {
            if (proxy.Image is not null)
            {
                r.Error(proxy.At, $"proxy sets 'image' but runs on NixOS host '{nixos.Name}'", "remove 'image'; on NixOS Caddy comes from the host's nixpkgs");
            }

            if (proxy.Bind != "0.0.0.0")
            {
                r.Error(proxy.At, $"proxy sets 'bind: {proxy.Bind}' but runs on NixOS host '{nixos.Name}'", "remove 'bind'; on NixOS Caddy listens on all interfaces and the firewall opens only the proxy's ports");
            }
        }

        var instances = spec.Instances.ToDictionary(i => i.Name);
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in proxy.Routes)
        {
            if (!prefixes.Add(route.Prefix))
            {
                r.Error(route.At, $"two proxy routes use prefix '{route.Prefix}'", "give each route its own prefix, or list all instances in one route to load-balance");
            }

            foreach (var name in route.Instances)
            {
                if (!instances.TryGetValue(name, out var target))
                {
                    r.Error(route.At, $"proxy route '{route.Prefix}' sends traffic to instance '{name}', which is not declared", Suggest.Fix(name, instances.Keys, "instances"));
                }
                else if (target.Host != proxy.Host && target.Publish is null && hosts.GetValueOrDefault(target.Host) is DockerHostSpec)
                {
                    r.Error(route.At, $"proxy on host '{proxy.Host}' cannot reach instance '{name}' on host '{target.Host}': it publishes no port",
                        $"add 'publish: {{ port: {Endpoints.OllamaPort}, bind: <LAN address> }}' to instance '{name}', or run the proxy on '{target.Host}'");
                }
                else if (target.Host != proxy.Host && (hosts.GetValueOrDefault(target.Host) is KubernetesHostSpec || hosts.GetValueOrDefault(proxy.Host) is KubernetesHostSpec))
                {
                    r.Error(route.At, $"proxy on host '{proxy.Host}' cannot reach instance '{name}' on host '{target.Host}': a Kubernetes host's instances and proxy share its cluster network only with each other",
                        $"run the proxy on '{target.Host}', or move '{name}' to host '{proxy.Host}'");
                }
                else if (target.Host != proxy.Host && hosts.GetValueOrDefault(target.Host) is NixosHostSpec)
                {
                    r.Error(route.At, $"proxy on host '{proxy.Host}' cannot reach instance '{name}' on NixOS host '{target.Host}'", $"run the proxy on '{target.Host}'; NixOS instances listen on loopback");
                }
            }

            if (route.Instances.Count != route.Instances.Distinct(StringComparer.Ordinal).Count())
            {
                r.Error(route.At, $"proxy route '{route.Prefix}' lists an instance twice", "list each instance once");
            }
        }

        if (spec.ProxyPinsInstances)
        {
            var routed = proxy.Routes.SelectMany(route => route.Instances).ToHashSet(StringComparer.Ordinal);
            foreach (var instance in spec.Instances.Where(i => !routed.Contains(i.Name)))
            {
                r.Error(instance.At, $"instance '{instance.Name}' is behind no proxy route, so the post-deploy hooks cannot reach it",
                    $"add '{instance.Name}' to a route's 'to:' list, or set 'hooks: {{ via: direct }}' and publish its port");
            }

            CheckHooksThroughProxy(spec, proxy, r);
        }
    }

    /// <summary>The hooks must present a credential the proxy accepts.</summary>
    private static void CheckHooksThroughProxy(StackSpec spec, ProxySpec proxy, NodeReader r)
    {
        if (!spec.Hooks.Enabled)
        {
            return;
        }

        if (proxy.Auth.BearerTokenSecrets.Count == 0 && proxy.Auth.ApiKeys is null && proxy.Auth.BasicAuth.Count > 0)
        {
            r.Error(proxy.At, "the proxy accepts only basic auth, whose password the stack holds as a bcrypt hash, so the post-deploy hooks cannot log in",
                "add 'bearerTokens: [hooksToken]' under 'auth:' (a secret config key), or set 'hooks: { via: direct }'");
        }
    }

    private static void CheckPorts(StackSpec spec, IReadOnlyDictionary<string, HostSpec> hosts, NodeReader r)
    {
        // Keyed by text, not a (host, port) tuple: a tuple key is code ReadyToRun cannot precompile for the compiler hook.
        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        void Claim(string host, int port, string by, SourceMark at)
        {
            var key = $"{host}:{port}";
            if (used.TryGetValue(key, out var owner))
            {
                r.Error(at, $"{by} wants port {port} on host '{host}', which {owner} already uses", "choose a different port for one of them");
            }
            else
            {
                used[key] = by;
            }
        }

        if (spec.Proxy is { } proxy)
        {
            Claim(proxy.Host, proxy.HttpPort, "the proxy (http)", proxy.At);
            if (proxy.Tls is not TlsMode.Off)
            {
                Claim(proxy.Host, proxy.HttpsPort, "the proxy (https)", proxy.At);
            }
        }

        foreach (var instance in spec.Instances)
        {
            if (instance.Publish is { } publish)
            {
                Claim(instance.Host, publish.Port, $"instance '{instance.Name}'", instance.At);
            }
            else if (hosts.GetValueOrDefault(instance.Host) is NixosHostSpec)
            {
                Claim(instance.Host, instance.Port, $"instance '{instance.Name}'", instance.At);
            }

            if (spec.Hooks is { Enabled: true, Via: HookPath.Direct } && hosts.GetValueOrDefault(instance.Host) is KubernetesHostSpec)
            {
                r.Error(instance.At, $"instance '{instance.Name}' runs on Kubernetes host '{instance.Host}', where the post-deploy hooks cannot reach it directly",
                    "put it behind the proxy and set 'hooks: { via: proxy }' (the proxy's Service is the cluster's one way in)");
            }

            if (spec.Hooks is { Enabled: true, Via: HookPath.Direct } && instance.Publish is null && hosts.GetValueOrDefault(instance.Host) is DockerHostSpec)
            {
                r.Error(instance.At, $"instance '{instance.Name}' publishes no port, so the post-deploy hooks cannot reach it directly",
                    $"add 'publish: {{ port: {Endpoints.OllamaPort} }}', or put it behind the proxy and set 'hooks: {{ via: proxy }}'");
            }
        }
    }
}
