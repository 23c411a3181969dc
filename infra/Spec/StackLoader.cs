using HomeLab.Spec.Shape;
using HomeLab.Spec.Yaml;

namespace HomeLab.Spec;

/// <summary>Reads a stack file into a <see cref="StackSpec"/>, reporting every problem with its position and a fix.</summary>
internal static class StackLoader
{
    /// <summary>Loads <paramref name="text"/>; throws <see cref="StackFileException"/> with every problem found.</summary>
    /// <param name="targetRules">The rules only one kind of host has, handed in by whoever composes the pipeline (<c>Targets</c>).</param>
    public static StackSpec Load(string stackName, string text, string displayPath, IReadOnlyList<IHostRules> targetRules)
    {
        var reader = new NodeReader(displayPath);
        var root = YamlTree.Parse(text, displayPath, reader.Diagnostics);
        if (reader.Diagnostics.Count > 0)
        {
            throw new StackFileException(reader.Diagnostics);
        }

        var spec = Read(stackName, root, reader, targetRules);
        if (reader.Diagnostics.Count > 0 || spec is null)
        {
            throw new StackFileException(reader.Diagnostics.OrderBy(d => d.At.Line).ThenBy(d => d.At.Column).ToList());
        }

        return spec;
    }

    private static StackSpec? Read(string stackName, YamlValue? root, NodeReader r, IReadOnlyList<IHostRules> targetRules)
    {
        if (root is null || (root is YamlText { Quoted: false } t && t.Text.Length == 0))
        {
            r.Error(SourceMark.Start, "the stack file is empty", "declare at least 'hosts:' and 'instances:'; see stacks/local.yaml for an example");
            return null;
        }

        var top = r.Map(root, "the stack file", SpecShape.Top.Keys);
        if (top is null)
        {
            return null;
        }

        var hosts = ReadNamed(top["hosts"], "hosts", r, HostsReader.Read);
        var instances = ReadNamed(top["instances"], "instances", r, InstancesReader.Read);
        if (hosts.Count == 0)
        {
            r.Error(top.KeyAt("hosts"), "the stack declares no hosts", "add a 'hosts:' mapping with at least one host, e.g. 'local: { kind: docker, engine: local, address: 127.0.0.1 }'");
        }

        if (instances.Count == 0)
        {
            r.Error(top.KeyAt("instances"), "the stack declares no Ollama instances", "add an 'instances:' mapping with at least one instance that names one of the hosts");
        }

        var proxy = top["proxy"] is { } proxyNode ? ProxyReader.Read(proxyNode, r) : null;
        var hooks = HooksReader.Read(top["hooks"], proxy is not null, r);
        var webui = top["webui"] is { } webuiNode ? WebuiReader.Read(stackName, webuiNode, r) : null;
        if (webui is { Instances.Count: 0 })
        {
            // Default: every instance on the front end's host, in the order the stack declares them.
            webui = webui with { Instances = instances.Where(i => i.Host == webui.Host).Select(i => i.Name).ToList() };
        }

        var spec = new StackSpec(stackName, r.File, hosts, instances, proxy, hooks) { Webui = webui };
        CrossChecks.Run(spec, targetRules, r);
        if (webui is not null)
        {
            WebuiChecks.Run(spec, webui, r);
        }
        return spec;
    }

    private static List<T> ReadNamed<T>(YamlValue? node, string what, NodeReader r, Func<string, YamlValue, SourceMark, NodeReader, T?> read)
        where T : class
    {
        var map = r.Map(node, what, node is YamlMap m ? m.Entries.Select(e => e.Key.Text).ToArray() : []);
        var result = new List<T>();
        if (map is null)
        {
            return result;
        }

        foreach (var entry in map.Entries)
        {
            if (!Names.Resource().IsMatch(entry.Key.Text))
            {
                r.Error(entry.Key.At, $"name '{entry.Key.Text}' in {what} is not a valid name",
                    "use lower-case letters, digits and '-', starting with a letter, at most 41 characters");
                continue;
            }

            if (read(entry.Key.Text, entry.Value, entry.Key.At, r) is { } item)
            {
                result.Add(item);
            }
        }

        return result;
    }
}
