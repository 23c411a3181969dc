namespace HomeLab.Tests.Architecture.Reversed.Conventions;

/// <summary>
/// A deliberately reversed dependency for <see cref="LayeringTests"/>: a bottom-floor type that calls a top-floor
/// one, named without a using (C# finds it through the enclosing namespace), so only the compiled references show it.
/// </summary>
internal static class ReversedName
{
    public static string Of(string host) => Cli.ReversedCommand.Describe(host);
}
