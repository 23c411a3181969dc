namespace HomeLab.Tests.Architecture.Reversed.Cli;

/// <summary>The top floor of the reversed fixture: <see cref="Conventions.ReversedName"/> reaches up to it.</summary>
internal static class ReversedCommand
{
    public static string Describe(string host) => $"host {host}";
}
