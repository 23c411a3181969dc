using HomeLab.Conventions;
using HomeLab.Spec.Shape;
using HomeLab.Spec.Yaml;

namespace HomeLab.Spec;

/// <summary>Reads one entry under 'instances:': where Ollama runs, its GPU, limits, storage, tuning and models.</summary>
internal static class InstancesReader
{
    public static InstanceSpec? Read(string name, YamlValue node, SourceMark at, NodeReader r)
    {
        var what = $"instance '{name}'";
        var map = r.Map(node, what, SpecShape.Instance.Keys);
        if (map is null)
        {
            return null;
        }

        var host = r.Text(map["host"], $"{what} host");
        if (host is null && map["host"] is null)
        {
            r.Error(at, $"{what} has no 'host'", "add 'host:' naming one of the hosts declared under 'hosts:'");
        }

        var image = r.Text(map["image"], $"{what} image");
        if (image is not null)
        {
            ImageReference.Check(image, map["image"]!, what, r);
        }

        var env = new List<KeyValuePair<string, string>>();
        var envMap = r.Map(map["env"], $"{what} env", map["env"] is YamlMap em ? em.Entries.Select(e => e.Key.Text).ToArray() : []);
        foreach (var entry in envMap?.Entries ?? [])
        {
            if (!Names.EnvironmentKey().IsMatch(entry.Key.Text))
            {
                r.Error(entry.Key.At, $"environment variable name '{entry.Key.Text}' is not valid", "use letters, digits and '_', not starting with a digit");
                continue;
            }

            if (SpecShape.RemovedOllamaVariables.TryGetValue(entry.Key.Text, out var removed))
            {
                r.Error(entry.Key.At, $"{what} env {entry.Key.Text} is no longer read by the Ollama this stack deploys", removed);
                continue;
            }

            if (r.Text(entry.Value, $"{what} env {entry.Key.Text}") is { } value)
            {
                env.Add(new(entry.Key.Text, value));
            }
        }

        var publishMap = r.Map(map["publish"], $"{what} publish", SpecShape.Publish.Keys);
        PublishSpec? publish = null;
        if (publishMap is not null)
        {
            var publishPort = r.Int(publishMap, SpecShape.Publish, "port", $"{what} publish port");
            if (publishPort is null && publishMap["port"] is null)
            {
                r.Error(publishMap.At, $"{what} publish has no 'port'", $"add 'port:' with the host port to publish Ollama on, e.g. {Endpoints.OllamaPort}");
            }

            var bind = r.Text(publishMap["bind"], $"{what} publish bind") ?? SpecShape.Publish.Default<string>("bind");
            if (!Names.IPv4().IsMatch(bind))
            {
                r.Error(publishMap["bind"]!.At, $"{what} publish bind '{bind}' is not an IPv4 address", "write 127.0.0.1 (this machine only) or the LAN address to listen on");
            }

            publish = new PublishSpec(publishPort ?? Endpoints.OllamaPort, bind,
                r.Bool(publishMap["unauthenticated"], $"{what} publish unauthenticated") ?? SpecShape.Publish.Default<bool>("unauthenticated"));
        }

        var cloud = r.Bool(map["cloud"], $"{what} cloud") ?? SpecShape.Instance.Default<bool>("cloud");
        var models = r.List(map["models"], $"{what} models").Select((m, i) => ModelsReader.Read(m, $"{what} model #{i + 1}", r, cloud)).OfType<ModelSpec>().ToList();
        var nodeSelector = new List<KeyValuePair<string, string>>();
        var selectorMap = r.Map(map["nodeSelector"], $"{what} nodeSelector", map["nodeSelector"] is YamlMap sm ? sm.Entries.Select(e => e.Key.Text).ToArray() : []);
        foreach (var entry in selectorMap?.Entries ?? [])
        {
            if (!Names.LabelKey().IsMatch(entry.Key.Text))
            {
                r.Error(entry.Key.At, $"{what} nodeSelector label '{entry.Key.Text}' is not a Kubernetes label key", "write a label key such as gpu or example.com/gpu (letters, digits, '-', '_', '.'; at most 63 after the optional prefix)");
            }
            else if (r.Text(entry.Value, $"{what} nodeSelector {entry.Key.Text}") is { } labelValue)
            {
                if (Names.LabelValue().IsMatch(labelValue))
                {
                    nodeSelector.Add(new(entry.Key.Text, labelValue));
                }
                else
                {
                    r.Error(entry.Value.At, $"{what} nodeSelector value '{labelValue}' is not a Kubernetes label value", "write at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
                }
            }
        }

        return new InstanceSpec(
            name,
            host ?? "",
            image,
            ReadGpu(map["gpu"], what, r),
            ReadResources(map["resources"], what, r),
            ReadStorage(map["storage"], ResourceNames.ModelsVolume(name), what, r),
            ReadTuning(map["tuning"], what, r) with { Cloud = cloud },
            env,
            publish,
            models,
            r.Bool(map["removeUndeclared"], $"{what} removeUndeclared") ?? SpecShape.Instance.Default<bool>("removeUndeclared"),
            r.Int(map, SpecShape.Instance, "port", $"{what} port") ?? SpecShape.Instance.Default<int>("port"),
            at)
        {
            Replicas = r.Int(map, SpecShape.Instance, "replicas", $"{what} replicas") ?? SpecShape.Instance.Default<int>("replicas"),
            NodeSelector = nodeSelector,
        };
    }

    private static GpuSpec ReadGpu(YamlValue? node, string what, NodeReader r)
    {
        if (node is YamlText text && r.Text(node, $"{what} gpu") is { } vendorOnly)
        {
            return SpecShape.GpuVendors.Find(vendorOnly) switch
            {
                null => r.Fail<GpuSpec>(text, $"{what} gpu '{vendorOnly}' is not one of {string.Join(", ", SpecShape.GpuVendors.Words)}", "write gpu: nvidia, gpu: amd, or a mapping such as { vendor: nvidia, count: 1 }") ?? GpuSpec.None,
                GpuVendor.None => GpuSpec.None,
                { } vendorWord => new GpuSpec(vendorWord, [], null),
            };
        }

        var map = r.Map(node, $"{what} gpu", SpecShape.Gpu.Keys);
        if (map is null)
        {
            return GpuSpec.None;
        }

        var vendor = r.Enum(map["vendor"], $"{what} gpu vendor", SpecShape.GpuVendors);
        if (vendor is null && map["vendor"] is null)
        {
            r.Error(map.At, $"{what} gpu has no 'vendor'", "add 'vendor: nvidia', 'vendor: amd' or 'vendor: intel'");
        }

        var count = r.Int(map, SpecShape.Gpu, "count", $"{what} gpu count");
        var devices = new List<string>();
        if (map["devices"] is YamlText { Text: "all" })
        {
            // 'all' is the default; nothing to record.
        }
        else
        {
            foreach (var device in r.List(map["devices"], $"{what} gpu devices"))
            {
                var id = r.Text(device, $"{what} gpu device");
                if (id is not null && !Names.EnvironmentKey().IsMatch("D" + id.Replace('-', '_')))
                {
                    r.Error(device.At, $"{what} gpu device '{id}' is not a device index or UUID", "write device indexes such as 0 and 1, or GPU UUIDs as shown by 'nvidia-smi -L'");
                }
                else if (id is not null)
                {
                    devices.Add(id);
                }
            }
        }

        if (count is not null && devices.Count > 0)
        {
            r.Error(map.KeyAt("count"), $"{what} gpu sets both 'count' and 'devices'", "keep one: 'count: N' takes any N GPUs, 'devices: [...]' takes exactly those");
        }

        if (vendor is GpuVendor.None && (count is not null || devices.Count > 0))
        {
            r.Error(map.KeyAt("vendor"), $"{what} gpu vendor is 'none' but devices or a count are given", "set vendor to nvidia, amd or intel, or remove 'devices' and 'count'");
        }

        if (vendor is GpuVendor.Amd or GpuVendor.Intel && devices.Count > 0)
        {
            r.Error(map.KeyAt("devices"), $"{what} gpu: selecting devices by index is only supported for nvidia",
                "remove 'devices'; AMD and Intel GPUs are passed through as /dev/kfd and /dev/dri (on Kubernetes hosts, 'count: N' asks the device plugin for N)");
        }

        return new GpuSpec(vendor ?? GpuVendor.None, devices, count);
    }

    private static ResourceSpec ReadResources(YamlValue? node, string what, NodeReader r)
    {
        var map = r.Map(node, $"{what} resources", SpecShape.Resources.Keys);
        return map is null
            ? ResourceSpec.Unlimited
            : new ResourceSpec(
                r.Size(map["memory"], $"{what} memory"),
                r.Number(map, SpecShape.Resources, "cpus", $"{what} cpus"),
                r.Size(map["shm"], $"{what} shm"),
                r.Enum(map["priority"], $"{what} priority", SpecShape.Priorities));
    }

    /// <summary>A 'storage:' mapping (a volume or a host path); <paramref name="defaultVolume"/> when it names neither.</summary>
    internal static StorageSpec ReadStorage(YamlValue? node, string defaultVolume, string what, NodeReader r)
    {
        var map = r.Map(node, $"{what} storage", SpecShape.Storage.Keys);
        if (map is null)
        {
            return new StorageSpec(defaultVolume, null);
        }

        var size = r.Size(map["size"], $"{what} storage size");

        var volume = r.Text(map["volume"], $"{what} storage volume");
        var path = r.Text(map["path"], $"{what} storage path");
        if (volume is not null && path is not null)
        {
            r.Error(map.KeyAt("path"), $"{what} storage sets both 'volume' and 'path'", "keep one: a named volume, or a host path");
        }

        if (volume is not null && !Names.Volume().IsMatch(volume))
        {
            r.Error(map["volume"]!.At, $"{what} storage volume '{volume}' is not a valid volume name", "use lower-case letters, digits, '.', '_' and '-'");
        }

        if (path is not null && (!Names.AbsolutePath().IsMatch(path) || path.Split('/').Contains("..")))
        {
            r.Error(map["path"]!.At, $"{what} storage path '{path}' is not a plain absolute path", "write an absolute path such as /srv/ollama (letters, digits, '.', '_', '-', '@', '+', '/'; no '..')");
        }

        var storage = volume is null && path is null ? new StorageSpec(defaultVolume, null) : new StorageSpec(path is null ? volume : null, path);
        return storage with { SizeBytes = size };
    }

    private static TuningSpec ReadTuning(YamlValue? node, string what, NodeReader r)
    {
        var map = r.Map(node, $"{what} tuning", SpecShape.Tuning.Keys);
        if (map is null)
        {
            return TuningSpec.Defaults;
        }

        string? keepAlive = null;
        if (r.Duration(map["keepAlive"], $"{what} keepAlive", allowNegative: true) is not null)
        {
            keepAlive = ((YamlText)map["keepAlive"]!).Text;
        }

        var kvCache = r.Choice(map["kvCacheType"], $"{what} kvCacheType", SpecShape.Tuning.Choices("kvCacheType"));
        return new TuningSpec(
            keepAlive,
            r.Int(map, SpecShape.Tuning, "numParallel", $"{what} numParallel"),
            r.Int(map, SpecShape.Tuning, "maxLoadedModels", $"{what} maxLoadedModels"),
            r.Int(map, SpecShape.Tuning, "contextLength", $"{what} contextLength"),
            r.Bool(map["flashAttention"], $"{what} flashAttention"),
            kvCache,
            r.Int(map, SpecShape.Tuning, "maxQueue", $"{what} maxQueue"));
    }
}
