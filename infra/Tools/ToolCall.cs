namespace HomeLab.Tools;

/// <summary>An external command: the program, its arguments, extra environment variables and where it runs.</summary>
internal sealed record ToolCall(string Program, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string WorkingDirectory)
{
    public ToolCall(string program, string workingDirectory, params string[] arguments)
        : this(program, arguments, new Dictionary<string, string>(StringComparer.Ordinal), workingDirectory)
    {
    }

    /// <summary>Written to the program's stdin (then closed) by Capture; how secrets reach a child, never in its arguments.</summary>
    public string? StandardInput { get; init; }

    /// <summary>The command line only: standard input is left out, as it may be a secret.</summary>
    public override string ToString() => string.Join(' ', new[] { Program }.Concat(Arguments));
}
