namespace HomeLab.Tools;

internal sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;
}
