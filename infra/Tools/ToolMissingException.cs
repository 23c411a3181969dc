namespace HomeLab.Tools;

/// <summary>The program is not installed (not on PATH).</summary>
internal sealed class ToolMissingException(string program) : Exception($"'{program}' is not on PATH")
{
    public string Program { get; } = program;
}
