
namespace HomeLab.Spec;

/// <summary>
/// What a valid stack leaves open: an instance that publishes Ollama's port beyond loopback is reached there
/// without the proxy, so without credentials (Ollama itself has none). validate, plan and check print these
/// warnings until the instance says <c>publish: { unauthenticated: true }</c>; they never stop a deploy.
/// </summary>
internal static class ExposureWarnings
{
    public static IReadOnlyList<Diagnostic> For(StackSpec spec, SettingPositions at)
    {
        var warnings = new List<Diagnostic>();
        foreach (var instance in spec.Instances)
        {
            if (instance.Publish is not { Unauthenticated: false } publish || publish.Bind.StartsWith("127.", StringComparison.Ordinal))
            {
                continue;
            }

            var host = spec.Host(instance.Host);
            var who = publish.Bind == "0.0.0.0"
                ? $"every machine that can reach port {publish.Port} of host '{host.Name}' ({host.Address}) on any of its networks"
                : $"every machine that can reach {publish.Bind}:{publish.Port}";
            var route = spec.Proxy?.Routes.Any(r => r.Instances.Contains(instance.Name)) == true ? "the proxy's route to it does not protect this port" : "no proxy route leads to it";
            warnings.Add(at.Problem(["instances", instance.Name, "publish", "bind"],
                $"warning: instance '{instance.Name}' publishes Ollama on {publish.Bind}:{publish.Port} without credentials: {who} can pull, delete and run models ({route})",
                "bind 127.0.0.1 and reach it through the proxy, limit who reaches that address with a firewall, or, when open access is intended, add 'unauthenticated: true' to its publish"));
        }

        return warnings;
    }
}
