using System.Globalization;

using HomeLab.Spec.Shape;
using HomeLab.Spec.Yaml;

namespace HomeLab.Spec;

/// <summary>Reads one entry under 'hosts:': a Docker engine, a NixOS machine or a Kubernetes cluster and how to reach it.</summary>
internal static class HostsReader
{
    public static HostSpec? Read(string name, YamlValue node, SourceMark at, NodeReader r)
    {
        var what = $"host '{name}'";
        var map = r.Map(node, what, SpecShape.Host.Keys);
        if (map is null)
        {
            return null;
        }

        var kind = r.Choice(map["kind"], $"{what} kind", SpecShape.Host.Choices("kind"));
        if (kind is null && map["kind"] is null)
        {
            r.Error(at, $"{what} has no 'kind'", "add 'kind: docker', 'kind: nixos' or 'kind: kubernetes'");
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
            "kubernetes" => ReadKubernetesHost(name, address ?? "127.0.0.1", map, at, r),
            _ => null,
        };
    }

    private static readonly string[] KubernetesKeys = ["kubeconfig", "context", "namespace", "storageClass", "runtimeClass", "gpuResource", "amdGroups", "proxyService"];

    private static KubernetesHostSpec ReadKubernetesHost(string name, string address, MapView map, SourceMark at, NodeReader r)
    {
        var what = $"host '{name}'";
        RejectKeys(map, what, r, "remove it; a Kubernetes host is reached through 'kubeconfig' and 'context'", "engine", "ssh", "moduleDir", "rebuild", "sudo");
        var kubeconfig = Checked(map, "kubeconfig", $"{what} kubeconfig", "write a path such as ~/.kube/k3s.yaml or /etc/rancher/k3s/k3s.yaml", r);
        var context = Checked(map, "context", $"{what} context", "write a context name as 'kubectl config get-contexts' lists it, e.g. default", r);
        var ns = Checked(map, "namespace", $"{what} namespace", "write a DNS label: lower-case letters, digits and '-', at most 63, such as homelab", r);
        var storageClass = Checked(map, "storageClass", $"{what} storageClass", "write a StorageClass name as 'kubectl get storageclass' lists it, e.g. local-path", r);
        var runtimeClass = Checked(map, "runtimeClass", $"{what} runtimeClass", "write a RuntimeClass name as 'kubectl get runtimeclass' lists it, e.g. nvidia", r)
            ?? SpecShape.Host.Default<string>("runtimeClass");
        var gpuResource = Checked(map, "gpuResource", $"{what} gpuResource",
            "write nvidia.com/gpu, nvidia.com/gpu.shared, a MIG profile such as nvidia.com/mig-1g.10gb, amd.com/gpu, gpu.intel.com/i915 or gpu.intel.com/xe", r);
        var service = r.Enum(map["proxyService"], $"{what} proxyService", SpecShape.ProxyServices) ?? SpecShape.ProxyServices.Value(SpecShape.Host.Default<string>("proxyService"));
        var host = new KubernetesHostSpec(name, address, kubeconfig, context, ns, storageClass, runtimeClass, gpuResource, service, at);
        if (map["amdGroups"] is { } groups)
        {
            var range = (IntShape)((ListShape)SpecShape.Host.Fields.Single(f => f.Key == "amdGroups").Shape).Items;
            host = host with { AmdGroups = r.List(groups, $"{what} amdGroups").Select(g => r.Int(g, $"{what} amdGroups entry", range.Min, range.Max)).OfType<int>().Select(g => (long)g).ToList() };
        }

        return host;
    }

    /// <summary>Text at <paramref name="key"/> that must match the pattern <see cref="SpecShape.Host"/> declares for it.</summary>
    private static string? Checked(MapView map, string key, string what, string fix, NodeReader r)
    {
        var text = r.Text(map[key], what);
        var pattern = (TextShape)SpecShape.Host.Fields.Single(f => f.Key == key).Shape;
        if (text is not null && !System.Text.RegularExpressions.Regex.IsMatch(text, pattern.Pattern!, System.Text.RegularExpressions.RegexOptions.CultureInvariant))
        {
            r.Error(map[key]!.At, $"{what} '{text}' is not valid", fix);
            return null;
        }

        return text;
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
        RejectKeys(map, what, r, "remove it; it is a setting of Kubernetes hosts", KubernetesKeys);
        var engine = r.Text(map["engine"], $"{what} engine") ?? SpecShape.Host.Default<string>("engine");
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
        RejectKeys(map, what, r, "remove it; it is a setting of Kubernetes hosts", KubernetesKeys);
        var sshMap = r.Map(map["ssh"], $"{what} ssh", SpecShape.Ssh.Keys);
        var user = r.Text(sshMap?["user"], $"{what} ssh user") ?? SpecShape.Ssh.Default<string>("user");
        if (!Names.UnixUser().IsMatch(user))
        {
            r.Error(sshMap!["user"]!.At, $"{what} ssh user '{user}' is not a valid user name", "write a Unix user name such as deploy");
        }

        var port = r.Int(sshMap, SpecShape.Ssh, "port", $"{what} ssh port") ?? SpecShape.Ssh.Default<int>("port");
        var key = SecretKeys.Read(sshMap?["privateKey"], $"{what} ssh privateKey", r);
        var hostKey = ReadHostKey(sshMap?["hostKey"], sshMap is null ? at : map.KeyAt("ssh"), what, address, port, r);
        var moduleDir = r.Text(map["moduleDir"], $"{what} moduleDir") ?? SpecShape.Host.Default<string>("moduleDir");
        if (!Names.AbsolutePath().IsMatch(moduleDir) || moduleDir.Contains("..", StringComparison.Ordinal))
        {
            r.Error(map["moduleDir"]!.At, $"{what} moduleDir '{moduleDir}' is not an absolute path", "write an absolute path such as /etc/nixos/homelab (letters, digits, '.', '_', '-', '/')");
        }

        var rebuild = r.Enum(map["rebuild"], $"{what} rebuild", SpecShape.Rebuilds) ?? SpecShape.Rebuilds.Value(SpecShape.Host.Default<string>("rebuild"));
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
}
