using HomeLab.Spec;

namespace HomeLab.Conventions;

/// <summary>How Pulumi starts the post-deploy hooks, and which way their requests take to an instance.</summary>
internal static class HookRouting
{
    /// <summary>The request header that sends a request to one named instance, whatever the route would pick.</summary>
    public const string InstanceHeader = "X-HomeLab-Instance";

    /// <summary>The hooks reach Ollama through the proxy (and so pin each request to its instance).</summary>
    public static bool ThroughProxy(StackSpec spec) => spec.Hooks.Via is HookPath.Proxy && spec.Proxy is not null;

    /// <summary>The proxy must route <see cref="InstanceHeader"/>: hooks run, and they run through it.</summary>
    public static bool ProxyPinsInstances(StackSpec spec) => spec.Hooks.Enabled && ThroughProxy(spec);

    /// <summary>
    /// The command Pulumi runs from the project root for one instance's hooks. Stack and instance names are strict
    /// identifiers, so the line needs no shell quoting.
    /// </summary>
    public static string CommandLine(string stack, string instance) => Launcher.CommandLine("hooks", stack, "--instance", instance);
}
