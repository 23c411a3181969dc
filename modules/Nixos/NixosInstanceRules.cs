using HomeLab.Conventions;
using HomeLab.Spec;
using HomeLab.Spec.Yaml;

namespace HomeLab.Modules.Nixos;

/// <summary>What an instance on a NixOS host cannot ask for: the nixpkgs Ollama service decides these itself.</summary>
internal sealed class NixosInstanceRules : IHostRules
{
    /// <summary>Variables the nixpkgs Ollama service sets itself from 'port' and 'storage'.</summary>
    private static readonly string[] NixosReservedEnvironment = ["HOME", "OLLAMA_HOST", "OLLAMA_MODELS"];

    /// <summary>Paths the hardened nixpkgs Ollama service cannot write (ProtectHome, read-only store).</summary>
    private static readonly string[] NixosHiddenPaths = ["/home", "/root", "/run/user", "/nix"];

    public void Check(InstanceSpec instance, HostSpec host, NodeReader r)
    {
        if (host is not NixosHostSpec)
        {
            return;
        }

        var what = $"instance '{instance.Name}'";
        if (instance.Image is not null)
        {
            r.Error(instance.At, $"{what} sets 'image' but runs on NixOS host '{host.Name}'", "remove 'image'; on NixOS the Ollama version comes from the host's nixpkgs");
        }

        if (instance.Publish is not null)
        {
            r.Error(instance.At, $"{what} sets 'publish' but runs on NixOS host '{host.Name}'", "remove 'publish'; on NixOS set 'port:' and reach Ollama through the proxy");
        }

        if (instance.Storage.Volume is not null && instance.Storage.Volume != ResourceNames.ModelsVolume(instance.Name))
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
    }
}
