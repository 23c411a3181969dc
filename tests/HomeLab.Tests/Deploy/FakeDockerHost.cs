using System.Text.Json.Nodes;

namespace HomeLab.Tests.Deploy;

/// <summary>
/// Answers a preflight would get from a Docker host: <c>docker info --format '{{json .}}'</c> in the shape the
/// engine prints it (moby api/types/system/info.go: NCPU, MemTotal, ServerVersion, Runtimes, DiscoveredDevices),
/// and /proc/net/tcp lines in the kernel's format.
/// </summary>
internal static class FakeDockerHost
{
    public const long GiB = 1L << 30;

    public static string Info(int cpus, long memoryBytes, string[]? runtimes = null, string[]? cdiDevices = null)
    {
        var info = new JsonObject
        {
            ["ServerVersion"] = "20.10.24+dfsg1",
            ["NCPU"] = cpus,
            ["MemTotal"] = memoryBytes,
            ["Runtimes"] = new JsonObject((runtimes ?? ["io.containerd.runc.v2", "runc"]).Select(r => KeyValuePair.Create(r, (JsonNode?)new JsonObject { ["path"] = r }))),
            ["CDISpecDirs"] = null,
        };
        if (cdiDevices is not null)
        {
            info["DiscoveredDevices"] = new JsonArray(cdiDevices.Select(d => (JsonNode?)new JsonObject { ["Source"] = "cdi", ["ID"] = d }).ToArray());
        }

        return info.ToJsonString();
    }

    /// <summary>A /proc/net/tcp table with one socket listening on 127.0.0.1:<paramref name="port"/> (and one established connection, ignored).</summary>
    public static string ListeningOnLoopback(int port) =>
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
        $"   0: 0100007F:{port:X4} 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0\n" +
        "   1: 0100007F:A1B2 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 4243 1 0000000000000000 20 4 30 10 -1\n";
}
