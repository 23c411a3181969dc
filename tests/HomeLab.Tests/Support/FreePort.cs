using System.Net;
using System.Net.Sockets;

namespace HomeLab.Tests.Support;

/// <summary>Ports for servers that tests start; test servers bind 127.0.0.1 only.</summary>
internal static class FreePort
{
    /// <summary>A loopback port nobody listens on (yet): the system picks it, the listener lets it go.</summary>
    public static int OnLoopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
