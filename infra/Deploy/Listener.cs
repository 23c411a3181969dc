namespace HomeLab.Deploy;

/// <summary>A TCP socket listening on a host, or a port a container publishes there.</summary>
internal sealed record Listener(string Address, int Port, string Holder)
{
    public const string AnyAddress = "0.0.0.0";

    /// <summary>Whether binding <paramref name="port"/> on <paramref name="address"/> would collide with this listener.</summary>
    public bool Blocks(string address, int port) =>
        Port == port && (Address == address || Address == AnyAddress || address == AnyAddress);
}
