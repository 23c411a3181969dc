using HomeLab.Conventions;
using HomeLab.Modules.Webui;
using HomeLab.Spec;

namespace HomeLab.Modules.Nixos;

/// <summary>The chat front end on a NixOS host: services.open-webui on loopback behind services.caddy.</summary>
internal static class NixosWebui
{
    /// <summary>Open WebUI's secrets (WEBUI_SECRET_KEY, the first admin's password), mode 0600, written by the deploy.</summary>
    public const string EnvironmentFile = "/var/lib/homelab/open-webui.env";

    public static NixosWebuiValues? Values(StackSpec spec, NixosHostSpec host)
    {
        if (spec.Webui is not { } webui || webui.Host != host.Name)
        {
            return null;
        }

        var instances = spec.InstancesOf(webui);
        return new NixosWebuiValues(Endpoints.Loopback, WebuiEndpoints.Port, WebuiEnvironment.For(spec, webui, instances.Select(i => spec.InternalUrl(i))), EnvironmentFile);
    }
}
