using System.Net;
using System.Net.Sockets;

namespace HomeLab.Tests.Docker;

/// <summary>
/// Forwards TCP connections from an address containers can reach (the gateway of their bridge network) to a server
/// on this machine's loopback, so a container can talk to a stand-in running inside the test process.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    public TcpRelay(IPAddress listen, int targetPort)
    {
        listener = new TcpListener(listen, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync(targetPort);
    }

    public int Port { get; }

    private async Task AcceptAsync(int targetPort)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient incoming;
            try
            {
                incoming = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = RelayAsync(incoming, targetPort);
        }
    }

    private async Task RelayAsync(TcpClient incoming, int targetPort)
    {
        using (incoming)
        using (var outgoing = new TcpClient())
        {
            try
            {
                await outgoing.ConnectAsync(IPAddress.Loopback, targetPort, stop.Token);
                var a = incoming.GetStream();
                var b = outgoing.GetStream();
                await Task.WhenAny(a.CopyToAsync(b, stop.Token), b.CopyToAsync(a, stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // One side hung up; the other is closed with it.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
