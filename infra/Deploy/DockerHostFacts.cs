using System.Globalization;
using System.Net;

namespace HomeLab.Deploy;

/// <summary>
/// Everything the preflight learned about one Docker host. <see cref="Sockets"/> are listening TCP sockets (a
/// container's published port shows there too, held by docker-proxy); the containers' published ports say whose.
/// </summary>
internal sealed record DockerHostFacts(
    DockerEngineInfo Engine,
    IReadOnlySet<string> Directories,
    IReadOnlySet<string> OtherFiles,
    IReadOnlyList<Listener> Sockets,
    IReadOnlyList<Listener> OtherContainers,
    IReadOnlyList<Listener> OwnContainers,
    IReadOnlyList<string>? NvidiaGpus)
{
    public bool Exists(string path) => Directories.Contains(path) || OtherFiles.Contains(path);

    /// <summary>
    /// Listening TCP sockets from /proc/net/tcp and /proc/net/tcp6 (state 0A): "sl local_address rem_address st …",
    /// addresses as hex in host byte order (Linux net/ipv4/tcp_ipv4.c, get_tcp4_sock). IPv6 "::" counts as every address.
    /// </summary>
    public static IReadOnlyList<Listener> ParseProcNetTcp(string text)
    {
        var listeners = new List<Listener>();
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] != "0A" || fields[1].Split(':') is not [var hexAddress, var hexPort])
            {
                continue;
            }

            var port = int.Parse(hexPort, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            string? address = hexAddress.Length switch
            {
                8 => new IPAddress(BitConverter.GetBytes(uint.Parse(hexAddress, NumberStyles.HexNumber, CultureInfo.InvariantCulture))).ToString(),
                32 when hexAddress.All(c => c == '0') => Listener.AnyAddress,
                _ => null,
            };
            if (address is not null)
            {
                listeners.Add(new Listener(address, port, $"a process listening on {address}:{port}"));
            }
        }

        return listeners.Distinct().ToList();
    }

    /// <summary>
    /// Published ports from <c>docker ps --format '{{.Label "homelab.stack"}}\t{{.Names}}\t{{.Ports}}'</c>, split into
    /// this stack's own (a redeploy replaces those) and every other container's. Ports read "127.0.0.1:8080->8080/tcp, …".
    /// </summary>
    public static (IReadOnlyList<Listener> Own, IReadOnlyList<Listener> Others) ParsePublished(string text, string stack)
    {
        var own = new List<Listener>();
        var others = new List<Listener>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Split('\t') is not [var label, var name, var ports])
            {
                continue;
            }

            foreach (var mapping in ports.Split(", ", StringSplitOptions.RemoveEmptyEntries).Where(m => m.Contains("->", StringComparison.Ordinal) && m.EndsWith("/tcp", StringComparison.Ordinal)))
            {
                var hostSide = mapping[..mapping.IndexOf("->", StringComparison.Ordinal)];
                var colon = hostSide.LastIndexOf(':');
                var address = hostSide[..colon] is "" or "::" or "[::]" ? Listener.AnyAddress : hostSide[..colon];
                if (!int.TryParse(hostSide[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                {
                    continue;
                }

                (label == stack ? own : others).Add(new Listener(address, port, $"container '{name}'"));
            }
        }

        return (own, others);
    }
}
