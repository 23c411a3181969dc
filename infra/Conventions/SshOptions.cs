using System.Globalization;

namespace HomeLab.Conventions;

/// <summary>How HomeLab's own ssh calls (and the Docker provider's) connect: never a prompt, one timeout.</summary>
internal static class SshOptions
{
    public const int ConnectTimeoutSeconds = 15;

    /// <summary>
    /// BatchMode makes a missing key or an unknown host fail at once instead of waiting for a password prompt; the
    /// timeout bounds an unreachable host.
    /// </summary>
    public static IReadOnlyList<string> Arguments { get; } =
        ["-o", "BatchMode=yes", "-o", string.Create(CultureInfo.InvariantCulture, $"ConnectTimeout={ConnectTimeoutSeconds}")];

    /// <summary><see cref="Arguments"/> followed by the port option.</summary>
    public static IReadOnlyList<string> WithPort(int port) => [.. Arguments, "-p", port.ToString(CultureInfo.InvariantCulture)];
}
