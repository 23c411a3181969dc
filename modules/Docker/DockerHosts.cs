using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Spec;

namespace HomeLab.Modules.Docker;

/// <summary>The Docker provider and the private network per Docker host.</summary>
internal static class DockerHosts
{
    public static IReadOnlyDictionary<string, DockerSite> Add(ProgramBuilder program, StackSpec spec)
    {
        var sites = new Dictionary<string, DockerSite>(StringComparer.Ordinal);
        foreach (var host in spec.UsedHosts().OfType<DockerHostSpec>())
        {
            var hasProxy = spec.Proxy?.Host == host.Name;
            Ref? provider = null;
            if (host.Ssh is { } ssh)
            {
                provider = new Ref(program.Add($"{host.Name}-docker", "pulumi:providers:docker", new MapValue(
                    ("host", ssh.DockerHost),
                    ("sshOpts", new ListValue([.. SshOptions.Arguments.Select(a => (Value)a)]))),
                    new ResourceOptions(Version: Pins.DockerProvider)).Name);
            }

            var options = new ResourceOptions(Provider: provider, Version: Pins.DockerProvider);
            var labels = Labels(spec.Name, (ResourceLabels.Host, host.Name));

            // Ollama and the proxy talk on a network with no route out; nothing on it is reachable from outside.
            var internalNet = program.Add($"{host.Name}-internal-net", "docker:Network", new MapValue(
                ("name", ResourceNames.InternalNetwork(spec.Name)),
                ("driver", "bridge"),
                ("internal", true),
                ("labels", labels)), options);

            // Outbound only (no published ports): lets Ollama pull models from its registry.
            var egressNet = program.Add($"{host.Name}-egress-net", "docker:Network", new MapValue(
                ("name", ResourceNames.EgressNetwork(spec.Name)),
                ("driver", "bridge"),
                ("labels", labels)), options);

            var edgeNet = hasProxy
                ? program.Add($"{host.Name}-edge-net", "docker:Network", new MapValue(
                    ("name", ResourceNames.EdgeNetwork(spec.Name)),
                    ("driver", "bridge"),
                    ("labels", labels)), options)
                : null;
            sites[host.Name] = new DockerSite(host, provider, internalNet, egressNet, edgeNet);
        }

        return sites;
    }

    public static ListValue Labels(string stack, params (string Label, string Value)[] extra)
    {
        var labels = new List<Value>(extra.Length + 1) { Label(ResourceLabels.Stack, stack) };
        foreach (var (label, value) in extra)
        {
            labels.Add(Label(label, value));
        }

        return new ListValue(labels);
    }

    private static MapValue Label(string label, string value) => new(("label", label), ("value", value));

    public static MapValue LogRotation() => new(("max-size", "10m"), ("max-file", "3"));

    /// <summary>One pull per image and host, however many containers use it.</summary>
    public static Resource Image(ProgramBuilder program, string image, DockerSite site) =>
        program.GetOrAdd($"{site.Host.Name}-{ImageSlug(image)}-image", "docker:RemoteImage", new MapValue(("name", image), ("keepLocally", true)), site.Options());

    /// <summary>
    /// The whole reference (registry, path, tag, digest): images that differ only in registry or digest must not
    /// share one resource, or a container would silently run the other image.
    /// </summary>
    private static string ImageSlug(string image) => new(image.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
