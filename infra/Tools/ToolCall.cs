namespace HomeLab.Tools;

/// <summary>An external command: the program, its arguments, extra environment variables and where it runs.</summary>
internal sealed record ToolCall(string Program, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string WorkingDirectory)
{
    public ToolCall(string program, string workingDirectory, params string[] arguments)
        : this(program, arguments, new Dictionary<string, string>(StringComparer.Ordinal), workingDirectory)
    {
    }

    public override string ToString() => string.Join(' ', new[] { Program }.Concat(Arguments));
}
