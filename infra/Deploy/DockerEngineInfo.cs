using System.Text.Json;

namespace HomeLab.Deploy;

/// <summary>What <c>docker info</c> says about an engine: the figures and features the stack's settings depend on.</summary>
internal sealed record DockerEngineInfo(string Version, int Cpus, long MemoryBytes, IReadOnlyList<string> Runtimes, IReadOnlyList<string> CdiDevices)
{
    /// <summary>
    /// Reads <c>docker info --format '{{json .}}'</c>. NCPU and MemTotal are what the daemon's sysinfo reports
    /// (moby api/types/system/info.go, Info); "DiscoveredDevices" lists CDI devices on engines that have CDI
    /// enabled (moby 27+), "Runtimes" the OCI runtimes that daemon.json registers (nvidia-ctk adds "nvidia").
    /// </summary>
    public static DockerEngineInfo Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var runtimes = root.TryGetProperty(nameof(Runtimes), out var r) && r.ValueKind is JsonValueKind.Object
            ? r.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList()
            : [];
        var devices = root.TryGetProperty("DiscoveredDevices", out var d) && d.ValueKind is JsonValueKind.Array
            ? d.EnumerateArray().Select(e => e.TryGetProperty("ID", out var id) ? id.GetString() : null).OfType<string>().ToList()
            : [];
        return new DockerEngineInfo(
            root.TryGetProperty("ServerVersion", out var v) ? v.GetString() ?? "?" : "?",
            root.GetProperty("NCPU").GetInt32(),
            root.GetProperty("MemTotal").GetInt64(),
            runtimes,
            devices);
    }

    /// <summary>
    /// An NVIDIA device request can be served: through the "nvidia" runtime that the NVIDIA Container Toolkit
    /// registers, or through CDI devices named nvidia.com/gpu=… on engines that resolve requests via CDI.
    /// </summary>
    public bool ServesNvidia => Runtimes.Contains("nvidia") || CdiDevices.Any(d => d.StartsWith("nvidia.com/gpu=", StringComparison.Ordinal));
}
