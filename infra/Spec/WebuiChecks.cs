using HomeLab.Spec.Yaml;

namespace HomeLab.Spec;

/// <summary>Checks of 'webui:' against the rest of the stack: the proxy it sits behind, its host and its instances.</summary>
internal static class WebuiChecks
{
    public static void Run(StackSpec spec, WebuiSpec webui, NodeReader r)
    {
        var hosts = spec.Hosts.ToDictionary(h => h.Name, StringComparer.Ordinal);
        if (spec.Proxy is not { } proxy)
        {
            r.Error(webui.At, "webui needs the proxy: Open WebUI is reachable only through it, under its own domain",
                "add a 'proxy:' section on the same host (see stacks/gpu-box.yaml)");
            return;
        }

        if (webui.Host.Length > 0 && !hosts.ContainsKey(webui.Host))
        {
            r.Error(webui.At, $"webui runs on host '{webui.Host}', which is not declared", $"use the proxy's host '{proxy.Host}'");
            return;
        }

        if (webui.Host.Length > 0 && webui.Host != proxy.Host)
        {
            r.Error(webui.At, $"webui runs on host '{webui.Host}' but the proxy on '{proxy.Host}'", $"set 'host: {proxy.Host}': only the proxy may reach Open WebUI, over the host's private network or loopback");
        }

        if (webui.Domain.Length > 0 && string.Equals(webui.Domain, proxy.Domain, StringComparison.OrdinalIgnoreCase))
        {
            r.Error(webui.At, $"webui domain '{webui.Domain}' is the proxy's (Ollama's) domain",
                "give the front end a name of its own, e.g. chat.home.arpa: Open WebUI serves its own /api/ paths, which would shadow Ollama's");
        }

        if (webui.Domain == "localhost" && proxy.Tls is TlsMode.Acme)
        {
            r.Error(webui.At, "webui domain 'localhost' cannot get a public certificate (proxy tls: acme)", "set 'domain:' to a public DNS name");
        }

        if (spec.Instances.Any(i => i.Name == Conventions.WebuiEndpoints.ContainerAlias))
        {
            r.Error(webui.At, $"an instance is named '{Conventions.WebuiEndpoints.ContainerAlias}', the front end's name on the host's private network", "rename that instance");
        }

        var instances = spec.Instances.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var name in webui.Instances)
        {
            if (!instances.TryGetValue(name, out var instance))
            {
                var near = Suggest.Nearest(name, instances.Keys);
                r.Error(webui.At, $"webui talks to instance '{name}', which is not declared", near is null ? $"use one of: {string.Join(", ", instances.Keys)}" : $"did you mean '{near}'?");
            }
            else if (instance.Host != webui.Host)
            {
                r.Error(webui.At, $"webui on host '{webui.Host}' cannot reach instance '{name}' on host '{instance.Host}'", $"list only instances on '{webui.Host}'; Open WebUI talks to Ollama over the host's private network");
            }
        }

        if (webui.Instances.Count == 0 && hosts.ContainsKey(webui.Host))
        {
            r.Error(webui.At, $"webui has no instance to talk to: none runs on host '{webui.Host}'", $"declare an instance on '{webui.Host}'");
        }

        if (hosts.GetValueOrDefault(webui.Host) is KubernetesHostSpec cluster && (webui.Storage.Path is not null || webui.Storage.Volume != Conventions.ResourceNames.WebuiDataVolume(spec.Name)))
        {
            r.Error(webui.At, $"webui sets storage '{(webui.Storage.Path is not null ? "path" : "volume")}' but runs on Kubernetes host '{cluster.Name}'",
                $"remove it: on Kubernetes the data lives in the volume claim '{Conventions.KubernetesNames.WebuiData}' of the host's storageClass — set its size with 'storage: {{ size: 10GiB }}'");
        }

        if (hosts.GetValueOrDefault(webui.Host) is { } elsewhere and not KubernetesHostSpec && webui.Storage.SizeBytes is not null)
        {
            r.Error(webui.At, $"webui sets storage 'size' on host '{elsewhere.Name}', which is not a Kubernetes host", "remove 'size'; a Docker volume or host directory grows with the disk it is on");
        }

        if (hosts.GetValueOrDefault(webui.Host) is NixosHostSpec nixos && (webui.Image is not null || webui.Storage.Path is not null || (webui.Storage.Volume is { } volume && volume != Conventions.ResourceNames.WebuiDataVolume(spec.Name))))
        {
            r.Error(webui.At, $"webui sets 'image' or 'storage' but runs on NixOS host '{nixos.Name}'",
                "remove them: on NixOS the package comes from the host's nixpkgs and the data lives in services.open-webui's stateDir, /var/lib/open-webui");
        }

        if (hosts.GetValueOrDefault(webui.Host) is NixosHostSpec)
        {
            // On NixOS Open WebUI listens on the host's loopback, so nothing else there may take its port.
            var port = Conventions.WebuiEndpoints.Port;
            var taken = new[] { ("the proxy's http port", proxy.HttpPort), ("the proxy's https port", proxy.Tls is TlsMode.Off ? 0 : proxy.HttpsPort) }
                .Concat(spec.Instances.Where(i => i.Host == webui.Host).Select(i => ($"instance '{i.Name}''s port", i.Port)))
                .FirstOrDefault(p => p.Item2 == port);
            if (taken.Item1 is { } what)
            {
                r.Error(webui.At, $"{what} is {port}, the port Open WebUI listens on (on loopback) on NixOS host '{webui.Host}'", $"choose another port than {port} for it");
            }
        }

        if (webui.SignIn is SignInMode.Proxy)
        {
            if (proxy.Auth.BasicAuth.Count == 0)
            {
                r.Error(webui.At, "webui signIn is 'proxy' but the proxy has no basic-auth users to sign people in",
                    "add 'basicAuth:' users under 'proxy: auth:' (homelab secrets --set-missing asks for their passwords), or set 'signIn: webui' for Open WebUI's own accounts");
            }

            foreach (var user in proxy.Auth.BasicAuth.Where(u => u.User.Contains('@', StringComparison.Ordinal)))
            {
                r.Error(webui.At, $"basic-auth user '{user.User}' cannot sign in to the front end: the proxy names each user to Open WebUI as '<user>@{webui.Domain}'",
                    "use a user name without '@' (such as alice)");
            }
        }
    }
}
