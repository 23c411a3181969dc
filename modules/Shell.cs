namespace HomeLab.Modules;

/// <summary>POSIX shell quoting for values placed in commands that run on a host.</summary>
internal static class Shell
{
    /// <summary>One single-quoted word: the shell reads every character literally, a quote as '\''.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
