using HomeLab.Conventions;
using HomeLab.Modules.Docker;
using HomeLab.Program;
using HomeLab.Spec;

namespace HomeLab.Modules.Proxy;

/// <summary>The proxy on a Docker host: the Caddy container that serves the Caddyfile <see cref="CaddyProxy"/> renders.</summary>
internal static class CaddyContainer
{
    /// <summary>The Caddy container on a Docker host: config upload, credentials from secret config, certificate volume.</summary>
    public static Resource Add(ProgramBuilder program, StackSpec spec, ProxySpec proxy, DockerSite site, IReadOnlyDictionary<string, Resource> containers)
    {
        // Caddy listens inside the container on the ports it is published on, so the redirect to HTTPS names the port clients use.
        var caddyfile = CaddyProxy.Render(spec, proxy, new CaddySite(proxy.HttpPort, proxy.HttpsPort, instance =>
            instance.Host == proxy.Host ? Endpoints.ContainerUpstream(instance.Name) : $"{spec.Host(instance.Host).Address}:{instance.Publish!.Port}", Endpoints.AllInterfaces, WebuiEndpoints.ContainerUpstream));
        var image = DockerHosts.Image(program, proxy.Image ?? Pins.CaddyImage, site);
        var data = program.Add("proxy-data", "docker:Volume", new MapValue(
            ("name", ResourceNames.CaddyDataVolume(spec.Name)),
            ("labels", DockerHosts.Labels(spec.Name, (ResourceLabels.Role, "proxy")))), site.Options());
        var envs = proxy.Auth.Credentials().Select(c => (Value)new Interpolation($"{c.Variable}=", program.Secret(c.SecretKey))).ToList();
        var ports = new List<Value> { Published(proxy.HttpPort, proxy.Bind) };
        if (proxy.Tls is not TlsMode.Off)
        {
            ports.Add(Published(proxy.HttpsPort, proxy.Bind));
        }

        // Neither name can be an instance's: instance resources are always '<instance>-<suffix>' and instance
        // containers 'homelab-<stack>_<instance>', with a '_' that no stack or instance name holds.
        return program.Add("proxy", "docker:Container", new MapValue(
            ("name", ResourceNames.ProxyContainer(spec.Name)),
            ("image", image.Output("imageId")),
            ("restart", "unless-stopped"),
            ("envs", envs.Count > 0 ? new ListValue(envs) : null),
            ("uploads", new ListValue(new MapValue(("file", CaddyProxy.CaddyfilePath), ("content", caddyfile)))),
            ("networksAdvanced", new ListValue(
                new MapValue(("name", site.InternalNetwork.Output("name"))),
                new MapValue(("name", site.EdgeNetwork!.Output("name"))))),
            ("ports", new ListValue(ports)),
            // Certificates, ACME account and the internal CA survive container replacement (every Caddyfile change replaces it).
            ("volumes", new ListValue(new MapValue(("volumeName", data.Output("name")), ("containerPath", CaddyProxy.DataPath)))),
            ("logDriver", "json-file"),
            ("logOpts", DockerHosts.LogRotation()),
            ("securityOpts", new ListValue("no-new-privileges:true")),
            ("labels", DockerHosts.Labels(spec.Name, (ResourceLabels.Role, "proxy")))),
            site.Options([.. containers.Values.Select(c => new Ref(c.Name))]));
    }

    private static MapValue Published(int port, string bind) => new(("internal", port), ("external", port), ("ip", bind), ("protocol", "tcp"));
}
