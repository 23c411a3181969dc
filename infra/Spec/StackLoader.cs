using System.Globalization;

using HomeLab.Validation;

namespace HomeLab.Spec;

/// <summary>Reads a stack file into a <see cref="StackSpec"/>, reporting every problem with its position and a fix.</summary>
internal static class StackLoader
{
    public const int DefaultOllamaPort = 11434;

    /// <summary>Variables the nixpkgs Ollama service sets itself from 'port' and 'storage'.</summary>
    private static readonly string[] NixosReservedEnvironment = ["HOME", "OLLAMA_HOST", "OLLAMA_MODELS"];

    /// <summary>Paths the hardened nixpkgs Ollama service cannot write (ProtectHome, read-only store).</summary>
    private static readonly string[] NixosHiddenPaths = ["/home", "/root", "/run/user", "/nix"];

    /// <summary>Loads <paramref name="text"/>; throws <see cref="StackFileException"/> with every problem found.</summary>
    public static StackSpec Load(string stackName, string text, string displayPath)
    {
        var reader = new NodeReader(displayPath);
        var root = YamlTree.Parse(text, displayPath, reader.Diagnostics);
        if (reader.Diagnostics.Count > 0)
        {
            throw new StackFileException(reader.Diagnostics);
        }

        var spec = Read(stackName, root, reader);
        if (reader.Diagnostics.Count > 0 || spec is null)
        {
            throw new StackFileException(reader.Diagnostics.OrderBy(d => d.At.Line).ThenBy(d => d.At.Column).ToList());
        }

        return spec;
    }

    private static StackSpec? Read(string stackName, YamlValue? root, NodeReader r)
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

        var hosts = ReadNamed(top["hosts"], "hosts", r, ReadHost);
        var instances = ReadNamed(top["instances"], "instances", r, ReadInstance);
        if (hosts.Count == 0)
        {
            r.Error(top.KeyAt("hosts"), "the stack declares no hosts", "add a 'hosts:' mapping with at least one host, e.g. 'local: { kind: docker, engine: local, address: 127.0.0.1 }'");
        }

        if (instances.Count == 0)
        {
            r.Error(top.KeyAt("instances"), "the stack declares no Ollama instances", "add an 'instances:' mapping with at least one instance that names one of the hosts");
        }

        var proxy = top["proxy"] is { } proxyNode ? ReadProxy(proxyNode, r) : null;
        var hooks = ReadHooks(top["hooks"], proxy is not null, r);
        var spec = new StackSpec(stackName, r.File, hosts, instances, proxy, hooks);
        CrossCheck(spec, r);
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

    private static HostSpec? ReadHost(string name, YamlValue node, SourceMark at, NodeReader r)
    {
        var what = $"host '{name}'";
        var map = r.Map(node, what, SpecShape.Host.Keys);
        if (map is null)
        {
            return null;
        }

        var kind = r.Choice(map["kind"], $"{what} kind", "docker", "nixos");
        if (kind is null && map["kind"] is null)
        {
            r.Error(at, $"{what} has no 'kind'", "add 'kind: docker' or 'kind: nixos'");
            return null;
        }

        var address = r.Text(map["address"], $"{what} address");
        if (address is null && map["address"] is null)
        {
            r.Error(at, $"{what} has no 'address'", "add 'address:' with the name or IP by which users and hooks reach the host, e.g. 127.0.0.1");
        }
        else if (address is not null && !Names.IsAddress(address))
        {
            r.Error(map["address"]!.At, $"{what} address '{address}' is not a host name or IPv4 address", "write a DNS name such as gpu-box.lan or an address such as 192.0.2.10");
        }

        return kind switch
        {
            "docker" => ReadDockerHost(name, address ?? "127.0.0.1", map, at, r),
            "nixos" => ReadNixosHost(name, address ?? "127.0.0.1", map, at, r),
            _ => null,
        };
    }

    private static void RejectKeys(MapView map, string what, NodeReader r, string reason, params string[] keys)
    {
        foreach (var key in keys.Where(map.Has))
        {
            r.Error(map.KeyAt(key), $"'{key}' does not apply to {what}", reason);
        }
    }

    private static DockerHostSpec? ReadDockerHost(string name, string address, MapView map, SourceMark at, NodeReader r)
    {
        var what = $"host '{name}'";
        RejectKeys(map, what, r, "remove it; it is a setting of NixOS hosts", "ssh", "moduleDir", "rebuild", "sudo");
        var engine = r.Text(map["engine"], $"{what} engine") ?? "local";
        if (engine == "local")
        {
            return new DockerHostSpec(name, address, null, at);
        }

        var ssh = ParseSshUrl(engine);
        if (ssh is null)
        {
            r.Error(map["engine"]!.At, $"{what} engine '{engine}' is neither 'local' nor an ssh:// address",
                "write 'local' for this machine's Docker engine or ssh://user@host[:port] for a remote one");
            return null;
        }

        return new DockerHostSpec(name, address, ssh, at);
    }

    private static SshEndpoint? ParseSshUrl(string engine)
    {
        if (!engine.StartsWith("ssh://", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = engine["ssh://".Length..];
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0)
        {
            return null;
        }

        var user = rest[..at];
        var hostPort = rest[(at + 1)..];
        var port = 22;
        var colon = hostPort.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return null;
            }

            hostPort = hostPort[..colon];
        }

        return Names.UnixUser().IsMatch(user) && Names.IsAddress(hostPort) ? new SshEndpoint(user, hostPort, port) : null;
    }

    private static NixosHostSpec? ReadNixosHost(string name, string address, MapView map, SourceMark at, NodeReader r)
    {
        var what = $"host '{name}'";
        RejectKeys(map, what, r, "remove it; NixOS hosts are reached with 'ssh:' and run Ollama as a system service", "engine");
        var sshMap = r.Map(map["ssh"], $"{what} ssh", SpecShape.Ssh.Keys);
        var user = r.Text(sshMap?["user"], $"{what} ssh user") ?? "root";
        if (!Names.UnixUser().IsMatch(user))
        {
            r.Error(sshMap!["user"]!.At, $"{what} ssh user '{user}' is not a valid user name", "write a Unix user name such as deploy");
        }

        var port = r.Int(sshMap?["port"], $"{what} ssh port", 1, 65535) ?? 22;
        var key = SecretKey(sshMap?["privateKey"], $"{what} ssh privateKey", r);
        var hostKey = ReadHostKey(sshMap?["hostKey"], sshMap is null ? at : map.KeyAt("ssh"), what, address, port, r);
        var moduleDir = r.Text(map["moduleDir"], $"{what} moduleDir") ?? "/etc/nixos/homelab";
        if (!Names.AbsolutePath().IsMatch(moduleDir) || moduleDir.Contains("..", StringComparison.Ordinal))
        {
            r.Error(map["moduleDir"]!.At, $"{what} moduleDir '{moduleDir}' is not an absolute path", "write an absolute path such as /etc/nixos/homelab (letters, digits, '.', '_', '-', '/')");
        }

        var rebuild = r.Enum(map["rebuild"], $"{what} rebuild", SpecShape.Rebuilds.Pairs) ?? RebuildMode.Switch;
        var sudo = r.Bool(map["sudo"], $"{what} sudo") ?? user != "root";
        return new NixosHostSpec(name, address, new NixosSsh(user, port, key, hostKey), moduleDir.TrimEnd('/'), rebuild, sudo, at);
    }

    /// <summary>The host key every SSH connection to a NixOS host checks; without one pulumi-command would accept any host.</summary>
    private static SshHostKey? ReadHostKey(YamlValue? node, SourceMark at, string what, string address, int port, NodeReader r)
    {
        var text = r.Text(node, $"{what} ssh hostKey");
        var obtain = $"get it with: {SshHostKey.ScanCommand(address, port)} — then check that 'ssh-keygen -lf' on that line prints the same fingerprint " +
            "as 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub' run on the host's own console";
        if (text is null)
        {
            if (node is null)
            {
                r.Error(at, $"{what} has no ssh hostKey, so the deploy would trust any machine answering at {address}", $"add 'hostKey: ssh-ed25519 AAAA…' under 'ssh:'; {obtain}");
            }

            return null;
        }

        var key = SshHostKey.Parse(text.Trim());
        if (key is null)
        {
            r.Error(node!.At, $"{what} ssh hostKey is not an SSH public key line ({string.Join(", ", SshHostKey.Types)})", $"write the key type and its base64 text, e.g. 'ssh-ed25519 AAAA…'; {obtain}");
        }

        return key;
    }

    private static string? SecretKey(YamlValue? node, string what, NodeReader r)
    {
        var key = r.Text(node, what);
        if (key is not null && !Names.SecretKey().IsMatch(key))
        {
            r.Error(node!.At, $"{what} '{key}' is not a Pulumi config key name",
                "give the name of a secret config key (letters, digits, '_'), set with 'pulumi config set --secret NAME'; never the secret itself");
            return null;
        }

        return key;
    }

    private static InstanceSpec? ReadInstance(string name, YamlValue node, SourceMark at, NodeReader r)
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
            CheckImage(image, map["image"]!, what, r);
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

            if (r.Text(entry.Value, $"{what} env {entry.Key.Text}") is { } value)
            {
                env.Add(new(entry.Key.Text, value));
            }
        }

        var publishMap = r.Map(map["publish"], $"{what} publish", SpecShape.Publish.Keys);
        PublishSpec? publish = null;
        if (publishMap is not null)
        {
            var publishPort = r.Int(publishMap["port"], $"{what} publish port", 1, 65535);
            if (publishPort is null && publishMap["port"] is null)
            {
                r.Error(publishMap.At, $"{what} publish has no 'port'", "add 'port:' with the host port to publish Ollama on, e.g. 11434");
            }

            var bind = r.Text(publishMap["bind"], $"{what} publish bind") ?? "127.0.0.1";
            if (!Names.IPv4().IsMatch(bind))
            {
                r.Error(publishMap["bind"]!.At, $"{what} publish bind '{bind}' is not an IPv4 address", "write 127.0.0.1 (this machine only) or the LAN address to listen on");
            }

            publish = new PublishSpec(publishPort ?? DefaultOllamaPort, bind);
        }

        var models = r.List(map["models"], $"{what} models").Select((m, i) => ReadModel(m, $"{what} model #{i + 1}", r)).OfType<ModelSpec>().ToList();
        return new InstanceSpec(
            name,
            host ?? "",
            image,
            ReadGpu(map["gpu"], what, r),
            ReadResources(map["resources"], what, r),
            ReadStorage(map["storage"], name, what, r),
            ReadTuning(map["tuning"], what, r),
            env,
            publish,
            models,
            r.Bool(map["removeUndeclared"], $"{what} removeUndeclared") ?? false,
            r.Int(map["port"], $"{what} port", 1, 65535) ?? DefaultOllamaPort,
            at);
    }

    private static void CheckImage(string image, YamlValue node, string what, NodeReader r)
    {
        if (!Names.Image().IsMatch(image))
        {
            r.Error(node.At, $"{what} image '{image}' is not a valid image reference", "write an image such as ollama/ollama:0.12.6");
            return;
        }

        var lastSlash = image.LastIndexOf('/');
        var tagged = image.IndexOf(':', lastSlash + 1) >= 0 || image.Contains('@', StringComparison.Ordinal);
        if (!tagged || image.EndsWith(":latest", StringComparison.Ordinal))
        {
            r.Error(node.At, $"{what} image '{image}' is not pinned to a version", "add a version tag such as ':0.12.6' so every deploy runs the same image");
        }
    }

    private static GpuSpec ReadGpu(YamlValue? node, string what, NodeReader r)
    {
        if (node is YamlText text && r.Text(node, $"{what} gpu") is { } vendorOnly)
        {
            return vendorOnly switch
            {
                "none" => GpuSpec.None,
                "nvidia" => new GpuSpec(GpuVendor.Nvidia, [], null),
                "amd" => new GpuSpec(GpuVendor.Amd, [], null),
                "intel" => new GpuSpec(GpuVendor.Intel, [], null),
                _ => r.Fail<GpuSpec>(text, $"{what} gpu '{vendorOnly}' is not one of none, nvidia, amd, intel", "write gpu: nvidia, gpu: amd, or a mapping such as { vendor: nvidia, count: 1 }") ?? GpuSpec.None,
            };
        }

        var map = r.Map(node, $"{what} gpu", SpecShape.Gpu.Keys);
        if (map is null)
        {
            return GpuSpec.None;
        }

        var vendor = r.Enum(map["vendor"], $"{what} gpu vendor", SpecShape.GpuVendors.Pairs);
        if (vendor is null && map["vendor"] is null)
        {
            r.Error(map.At, $"{what} gpu has no 'vendor'", "add 'vendor: nvidia', 'vendor: amd' or 'vendor: intel'");
        }

        var count = r.Int(map["count"], $"{what} gpu count", 1, 64);
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

        if (vendor is GpuVendor.Amd or GpuVendor.Intel && (count is not null || devices.Count > 0))
        {
            r.Error(map.KeyAt(count is not null ? "count" : "devices"), $"{what} gpu: selecting devices by index or count is only supported for nvidia",
                "remove 'count'/'devices'; AMD and Intel GPUs are passed through as /dev/kfd and /dev/dri");
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
                r.Number(map["cpus"], $"{what} cpus", 0.01, 1024),
                r.Size(map["shm"], $"{what} shm"),
                r.Enum(map["priority"], $"{what} priority", SpecShape.Priorities.Pairs));
    }

    private static StorageSpec ReadStorage(YamlValue? node, string instance, string what, NodeReader r)
    {
        var map = r.Map(node, $"{what} storage", SpecShape.Storage.Keys);
        if (map is null)
        {
            return new StorageSpec($"{instance}-models", null);
        }

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

        return volume is null && path is null ? new StorageSpec($"{instance}-models", null) : new StorageSpec(path is null ? volume : null, path);
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

        var kvCache = r.Choice(map["kvCacheType"], $"{what} kvCacheType", "f16", "q8_0", "q4_0");
        return new TuningSpec(
            keepAlive,
            r.Int(map["numParallel"], $"{what} numParallel", 1, 256),
            r.Int(map["maxLoadedModels"], $"{what} maxLoadedModels", 1, 64),
            r.Int(map["contextLength"], $"{what} contextLength", 256, 1 << 21),
            r.Bool(map["flashAttention"], $"{what} flashAttention"),
            kvCache,
            r.Int(map["maxQueue"], $"{what} maxQueue", 1, 1 << 20));
    }

    private static ModelSpec? ReadModel(YamlValue node, string what, NodeReader r)
    {
        if (node is YamlText)
        {
            var plain = r.Text(node, what);
            return plain is not null && CheckModelName(plain, node, what, r) ? new ModelSpec(ModelName.Parse(plain), GuessKind(plain), false, null, null, [], node.At) : null;
        }

        var map = r.Map(node, what, SpecShape.Model.Keys);
        if (map is null)
        {
            return null;
        }

        var name = r.Text(map["name"], $"{what} name");
        if (name is null)
        {
            if (map["name"] is null)
            {
                r.Error(map.At, $"{what} has no 'name'", "add 'name:' with the model to serve, e.g. llama3.2:3b");
            }

            return null;
        }

        what = $"model '{name}'";
        var nameOk = CheckModelName(name, map["name"]!, what, r);
        var from = r.Text(map["from"], $"{what} from");
        if (from is not null && !CheckModelName(from, map["from"]!, $"{what} base", r))
        {
            from = null;
        }

        var system = r.Prose(map["system"], $"{what} system");
        var parameters = ReadParameters(map["parameters"], what, r);
        if (from is null && (system is not null || parameters.Count > 0))
        {
            r.Error(map.KeyAt(system is not null ? "system" : "parameters"), $"{what} sets a system prompt or parameters but no 'from'",
                "add 'from:' with the base model to build it on, e.g. from: llama3.2:3b");
        }

        var kind = r.Enum(map["type"], $"{what} type", SpecShape.ModelKinds.Pairs) ?? GuessKind(from ?? name);
        var warm = r.Bool(map["warm"], $"{what} warm") ?? false;
        return nameOk ? new ModelSpec(ModelName.Parse(name), kind, warm, from is null ? null : ModelName.Parse(from), system, parameters, map.At) : null;
    }

    /// <summary>
    /// A custom model's parameters, each checked where it is written against the type Ollama gives that option
    /// (<see cref="ModelParameter.OllamaOptions"/>): Ollama itself would accept a wrong type at create and refuse the
    /// model only when it loads.
    /// </summary>
    private static List<ModelParameter> ReadParameters(YamlValue? node, string what, NodeReader r)
    {
        var parameters = new List<ModelParameter>();
        var map = r.Map(node, $"{what} parameters", node is YamlMap given ? given.Entries.Select(e => e.Key.Text).ToArray() : []);
        foreach (var entry in map?.Entries ?? [])
        {
            var name = entry.Key.Text;
            if (!ModelParameter.OllamaOptions.TryGetValue(name, out var type))
            {
                var near = Suggest.Nearest(name, ModelParameter.OllamaOptions.Keys);
                r.Error(entry.Key.At, $"{what} parameter '{name}' is not an option Ollama knows", near is null ? $"use one of: {string.Join(", ", ModelParameter.OllamaOptions.Keys)}" : $"did you mean '{near}'?");
                continue;
            }

            var values = new List<string>();
            foreach (var item in type is ParameterType.StringList && entry.Value is YamlList list ? list.Items : [entry.Value])
            {
                var label = $"{what} parameter {name}";
                var text = type is ParameterType.Boolean ? r.Bool(item, label)?.ToString().ToLowerInvariant() : r.Text(item, label);
                if (text is null)
                {
                    continue;
                }

                if (ModelParameter.Normalise(type, text) is { } value)
                {
                    values.Add(value);
                }
                else
                {
                    r.Error(item.At, $"{label} must be {ModelParameter.Describe(type)}, not '{text}'", type is ParameterType.Integer ? "write a whole number such as 8192 (no units)" : "write a number such as 0.7");
                }
            }

            if (values.Count > 0)
            {
                parameters.Add(new ModelParameter(name, type, values));
            }
        }

        return parameters.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Embedding models say so in their name in Ollama's library; 'type:' overrides the guess.</summary>
    private static ModelKind GuessKind(string name) =>
        name.Contains("embed", StringComparison.OrdinalIgnoreCase) || name.StartsWith("all-minilm", StringComparison.OrdinalIgnoreCase) || name.StartsWith("bge-", StringComparison.OrdinalIgnoreCase)
            ? ModelKind.Embedding
            : ModelKind.Chat;

    private static bool CheckModelName(string name, YamlValue node, string what, NodeReader r)
    {
        if (ModelName.Problem(name) is { } problem)
        {
            r.Error(node.At, $"{what} name '{name}' {problem}, so Ollama would reject it", "write a model name such as llama3.2:3b or namespace/model:tag");
            return false;
        }

        return true;
    }

    private static ProxySpec? ReadProxy(YamlValue node, NodeReader r)
    {
        var map = r.Map(node, "proxy", SpecShape.Proxy.Keys);
        if (map is null)
        {
            return null;
        }

        var host = r.Text(map["host"], "proxy host");
        if (host is null && map["host"] is null)
        {
            r.Error(map.At, "proxy has no 'host'", "add 'host:' naming the host the proxy runs on");
        }

        var image = r.Text(map["image"], "proxy image");
        if (image is not null)
        {
            CheckImage(image, map["image"]!, "proxy", r);
        }

        var domain = r.Text(map["domain"], "proxy domain") ?? "localhost";
        if (!Names.IsAddress(domain))
        {
            r.Error(map["domain"]!.At, $"proxy domain '{domain}' is not a host name", "write a DNS name such as ollama.home.arpa");
        }

        var tls = r.Enum(map["tls"], "proxy tls", SpecShape.TlsModes.Pairs) ?? TlsMode.Internal;
        var email = r.Text(map["acmeEmail"], "proxy acmeEmail");
        if (email is not null && (!email.Contains('@', StringComparison.Ordinal) || !Names.IsAddress(email[(email.IndexOf('@', StringComparison.Ordinal) + 1)..]) || !Names.BasicAuthUser().IsMatch(email[..email.IndexOf('@', StringComparison.Ordinal)])))
        {
            r.Error(map["acmeEmail"]!.At, $"proxy acmeEmail '{email}' is not an e-mail address", "write an address such as ops@example.org");
        }

        if (tls is TlsMode.Acme && (domain == "localhost" || !domain.Contains('.', StringComparison.Ordinal)))
        {
            r.Error(map.KeyAt("tls"), $"proxy tls is 'acme' but domain '{domain}' is not a public name", "use 'tls: internal' on a LAN, or set 'domain:' to a public DNS name");
        }

        var ports = r.Map(map["ports"], "proxy ports", SpecShape.Ports.Keys);
        var http = r.Int(ports?["http"], "proxy http port", 1, 65535) ?? 80;
        var https = r.Int(ports?["https"], "proxy https port", 1, 65535) ?? 443;
        if (http == https)
        {
            r.Error(ports?.KeyAt("https") ?? map.At, $"proxy http and https ports are both {http}", "give the two listeners different ports");
        }

        var bind = r.Text(map["bind"], "proxy bind") ?? "0.0.0.0";
        if (!Names.IPv4().IsMatch(bind))
        {
            r.Error(map["bind"]!.At, $"proxy bind '{bind}' is not an IPv4 address", "write 0.0.0.0 (all interfaces), 127.0.0.1 or a LAN address");
        }

        var routes = r.List(map["routes"], "proxy routes").Select((route, i) => ReadRoute(route, i, r)).OfType<RouteSpec>().ToList();
        if (routes.Count == 0 && map["routes"] is null)
        {
            r.Error(map.At, "proxy has no routes", "add 'routes:' with at least one entry such as '- to: [ollama]'");
        }

        return new ProxySpec(host ?? "", image, domain, tls, email, http, https, bind, ReadAuth(map["auth"], r), routes, map.At);
    }

    private static AuthSpec ReadAuth(YamlValue? node, NodeReader r)
    {
        var map = r.Map(node, "proxy auth", SpecShape.Auth.Keys);
        if (map is null)
        {
            return AuthSpec.None;
        }

        var tokens = r.List(map["bearerTokens"], "proxy bearerTokens").Select(t => SecretKey(t, "bearer token", r)).OfType<string>().ToList();
        ApiKeyAuth? apiKeys = null;
        if (r.Map(map["apiKeys"], "proxy apiKeys", SpecShape.ApiKeys.Keys) is { } keysMap)
        {
            var header = r.Text(keysMap["header"], "apiKeys header") ?? "X-API-Key";
            if (!Names.HeaderName().IsMatch(header) || header.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                r.Error(keysMap["header"]!.At, $"apiKeys header '{header}' is not a usable header name", "write a header name such as X-API-Key (letters, digits, '-'; not Authorization, which bearer tokens use)");
            }

            var keys = r.List(keysMap["keys"], "apiKeys keys").Select(k => SecretKey(k, "API key", r)).OfType<string>().ToList();
            if (keys.Count == 0)
            {
                r.Error(keysMap.At, "apiKeys lists no keys", "add 'keys:' with the names of secret config keys holding the API keys");
            }

            apiKeys = new ApiKeyAuth(header, keys);
        }

        var users = new List<BasicAuthUser>();
        foreach (var userNode in r.List(map["basicAuth"], "proxy basicAuth"))
        {
            var userMap = r.Map(userNode, "basicAuth user", SpecShape.BasicAuthUser.Keys);
            var user = r.Text(userMap?["user"], "basicAuth user");
            var hash = SecretKey(userMap?["passwordHash"], "basicAuth passwordHash", r);
            if (userMap is not null && (user is null || hash is null))
            {
                if (userMap["user"] is null || userMap["passwordHash"] is null)
                {
                    r.Error(userMap.At, "basicAuth entry needs both 'user' and 'passwordHash'", "write '- { user: alice, passwordHash: aliceHash }' where aliceHash names a secret config key holding a bcrypt hash");
                }

                continue;
            }

            if (user is null || hash is null)
            {
                continue;
            }

            if (!Names.BasicAuthUser().IsMatch(user))
            {
                r.Error(userMap!["user"]!.At, $"basicAuth user '{user}' is not a valid user name", "use letters, digits, '.', '_', '@' and '-'");
            }
            else if (users.Any(u => u.User == user))
            {
                r.Error(userMap!["user"]!.At, $"basicAuth user '{user}' is listed twice", "keep one entry per user");
            }
            else
            {
                users.Add(new BasicAuthUser(user, hash));
            }
        }

        return new AuthSpec(tokens, apiKeys, users);
    }

    private static RouteSpec? ReadRoute(YamlValue node, int index, NodeReader r)
    {
        var what = $"proxy route #{index + 1}";
        var map = r.Map(node, what, SpecShape.Route.Keys);
        if (map is null)
        {
            return null;
        }

        var prefix = r.Text(map["prefix"], $"{what} prefix") ?? "/";
        if (!Names.RoutePrefix().IsMatch(prefix))
        {
            r.Error(map["prefix"]!.At, $"{what} prefix '{prefix}' is not a simple path prefix", "write '/' or one segment such as /coder (lower-case letters, digits, '.', '_', '-')");
        }

        var targets = map["to"] is YamlText ? [map["to"]!] : r.List(map["to"], $"{what} to");
        var instances = targets.Select(t => r.Text(t, $"{what} target")).OfType<string>().ToList();
        if (instances.Count == 0 && (map["to"] is null || targets.Count == 0))
        {
            r.Error(map.At, $"{what} sends traffic nowhere", "add 'to: [instance]' naming one or more instances");
        }

        var balance = r.Enum(map["balance"], $"{what} balance", SpecShape.Balances.Pairs)
            ?? BalancePolicy.LeastConn;
        return new RouteSpec(prefix, instances, balance, map.At);
    }

    private static HooksSpec ReadHooks(YamlValue? node, bool hasProxy, NodeReader r)
    {
        var defaults = HooksSpec.Defaults with { Via = hasProxy ? HookPath.Proxy : HookPath.Direct };
        var map = r.Map(node, "hooks", SpecShape.Hooks.Keys);
        if (map is null)
        {
            return defaults;
        }

        var stall = r.Duration(map["stallTimeout"], "hooks stallTimeout");
        if (stall is { TotalSeconds: < 1 })
        {
            r.Error(map["stallTimeout"]!.At, "hooks stallTimeout is shorter than a second", "write a duration of at least 1s, e.g. 2m; a pull that sends nothing for this long is retried");
        }

        return new HooksSpec(
            r.Bool(map["enabled"], "hooks enabled") ?? true,
            r.Enum(map["via"], "hooks via", SpecShape.HookPaths.Pairs) ?? defaults.Via,
            r.Duration(map["readyTimeout"], "hooks readyTimeout") ?? defaults.ReadyTimeout,
            r.Int(map["pullConcurrency"], "hooks pullConcurrency", 1, 16) ?? defaults.PullConcurrency,
            r.Bool(map["verify"], "hooks verify") ?? true)
        {
            StallTimeout = stall is { TotalSeconds: >= 1 } ? stall.Value : defaults.StallTimeout,
            PullTimeout = r.Duration(map["pullTimeout"], "hooks pullTimeout") ?? defaults.PullTimeout,
            MinVramShare = r.Number(map["minVramShare"], "hooks minVramShare", 0.1, 1) ?? defaults.MinVramShare,
        };
    }

    /// <summary>Checks that need the whole file: references, duplicates, ports, and settings that contradict their host.</summary>
    private static void CrossCheck(StackSpec spec, NodeReader r)
    {
        var hosts = spec.Hosts.ToDictionary(h => h.Name);
        foreach (var instance in spec.Instances)
        {
            if (instance.Host.Length > 0 && !hosts.ContainsKey(instance.Host))
            {
                var near = Suggest.Nearest(instance.Host, hosts.Keys);
                r.Error(instance.At, $"instance '{instance.Name}' runs on host '{instance.Host}', which is not declared",
                    near is null ? $"declare it under 'hosts:' or use one of: {string.Join(", ", hosts.Keys)}" : $"did you mean '{near}'?");
            }

            CheckInstanceAgainstHost(instance, hosts.GetValueOrDefault(instance.Host), r);
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
    }

    private static void CheckInstanceAgainstHost(InstanceSpec instance, HostSpec? host, NodeReader r)
    {
        var what = $"instance '{instance.Name}'";
        switch (host)
        {
            case NixosHostSpec:
                if (instance.Image is not null)
                {
                    r.Error(instance.At, $"{what} sets 'image' but runs on NixOS host '{host.Name}'", "remove 'image'; on NixOS the Ollama version comes from the host's nixpkgs");
                }

                if (instance.Publish is not null)
                {
                    r.Error(instance.At, $"{what} sets 'publish' but runs on NixOS host '{host.Name}'", "remove 'publish'; on NixOS set 'port:' and reach Ollama through the proxy");
                }

                if (instance.Storage.Volume is not null && instance.Storage.Volume != $"{instance.Name}-models")
                {
                    r.Error(instance.At, $"{what} uses a named volume on NixOS host '{host.Name}'", "use 'storage: { path: /var/lib/ollama }'; NixOS stores models in a directory");
                }

                if (instance.Gpu.Count is not null || instance.Gpu.DeviceIds.Count > 0)
                {
                    r.Error(instance.At, $"{what} selects GPU devices on NixOS host '{host.Name}'", "remove 'count'/'devices'; on NixOS Ollama uses the GPUs the host driver exposes");
                }

                if (instance.Resources.SharedMemoryBytes is not null)
                {
                    r.Error(instance.At, $"{what} sets 'shm' but runs on NixOS host '{host.Name}'", "remove 'shm'; it sizes a container's /dev/shm, and on NixOS Ollama uses the host's");
                }

                foreach (var reserved in instance.Environment.Select(e => e.Key).Where(NixosReservedEnvironment.Contains))
                {
                    r.Error(instance.At, $"{what} sets env {reserved}, which NixOS derives from other settings", "remove it; 'port' sets OLLAMA_HOST and 'storage: { path: ... }' sets OLLAMA_MODELS and HOME");
                }

                if (instance.Storage.Path is { } storagePath && storagePath.TrimEnd('/').Length == 0)
                {
                    r.Error(instance.At, $"{what} stores models in the root directory", "use a directory of its own, such as /srv/data/ollama");
                }
                else if (instance.Storage.Path is { } path && NixosHiddenPaths.FirstOrDefault(hidden => path == hidden || path.StartsWith(hidden + "/", StringComparison.Ordinal)) is { } hiddenRoot)
                {
                    r.Error(instance.At, $"{what} stores models under {hiddenRoot}, which the NixOS Ollama service cannot write", "use a path such as /srv/data/ollama or /var/lib/ollama; the service runs with ProtectHome and a read-only /nix");
                }

                break;
            case DockerHostSpec:
                if (instance.Image is { } image)
                {
                    var rocm = image.Contains("rocm", StringComparison.Ordinal);
                    if (instance.Gpu.Vendor is GpuVendor.Amd && !rocm)
                    {
                        r.Error(instance.At, $"{what} has an AMD GPU but image '{image}' is not a ROCm build", "use the ROCm image, e.g. ollama/ollama:0.12.6-rocm, or remove 'image' to get it by default");
                    }
                    else if (instance.Gpu.Vendor is not GpuVendor.Amd && rocm)
                    {
                        r.Error(instance.At, $"{what} uses ROCm image '{image}' without 'gpu: amd'", "set 'gpu: amd', or use the plain ollama/ollama image");
                    }
                }

                if (instance.Port != DefaultOllamaPort)
                {
                    r.Error(instance.At, $"{what} sets 'port' on Docker host '{host.Name}'", "remove 'port'; in a container Ollama listens on 11434 and 'publish: { port: N }' chooses the host port");
                }

                if (instance.Resources.Priority is not null)
                {
                    r.Error(instance.At, $"{what} sets resources 'priority' on Docker host '{host.Name}'", "remove 'priority'; it applies to NixOS hosts, and on Docker 'cpus' and 'memory' keep co-tenants responsive");
                }

                if (instance.Resources.Cpus is { } cpus && Program.ProviderBehaviour.Cpus(cpus) is null)
                {
                    r.Error(instance.At, $"{what} sets cpus {cpus.ToString(CultureInfo.InvariantCulture)}, which the Docker provider reads back as a different value, so every pulumi up would replace the container",
                        $"use {Program.ProviderBehaviour.NearestCpus(cpus)} instead (the provider keeps at most nine decimals, and values such as 0.05 or 10.05 are rounded)");
                }

                break;
        }
    }

    private static void CheckProxy(StackSpec spec, ProxySpec proxy, Dictionary<string, HostSpec> hosts, NodeReader r)
    {
        if (proxy.Host.Length > 0 && !hosts.ContainsKey(proxy.Host))
        {
            r.Error(proxy.At, $"proxy runs on host '{proxy.Host}', which is not declared", $"use one of: {string.Join(", ", hosts.Keys)}");
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
                    var near = Suggest.Nearest(name, instances.Keys);
                    r.Error(route.At, $"proxy route '{route.Prefix}' sends traffic to instance '{name}', which is not declared",
                        near is null ? $"use one of: {string.Join(", ", instances.Keys)}" : $"did you mean '{near}'?");
                }
                else if (target.Host != proxy.Host && target.Publish is null && hosts.GetValueOrDefault(target.Host) is DockerHostSpec)
                {
                    r.Error(route.At, $"proxy on host '{proxy.Host}' cannot reach instance '{name}' on host '{target.Host}': it publishes no port",
                        $"add 'publish: {{ port: 11434, bind: <LAN address> }}' to instance '{name}', or run the proxy on '{target.Host}'");
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

        if (spec.Hooks is { Enabled: true, Via: HookPath.Proxy })
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
        var used = new Dictionary<(string Host, int Port), string>();
        void Claim(string host, int port, string by, SourceMark at)
        {
            if (used.TryGetValue((host, port), out var owner))
            {
                r.Error(at, $"{by} wants port {port} on host '{host}', which {owner} already uses", "choose a different port for one of them");
            }
            else
            {
                used[(host, port)] = by;
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

            if (spec.Hooks is { Enabled: true, Via: HookPath.Direct } && instance.Publish is null && hosts.GetValueOrDefault(instance.Host) is DockerHostSpec)
            {
                r.Error(instance.At, $"instance '{instance.Name}' publishes no port, so the post-deploy hooks cannot reach it directly",
                    "add 'publish: { port: 11434 }', or put it behind the proxy and set 'hooks: { via: proxy }'");
            }
        }
    }
}
