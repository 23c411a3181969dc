namespace HomeLab.Tests.Support;

/// <summary>A theory that needs an external program: skipped with the reason outside CI when the program is missing.</summary>
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools)
    {
        Tools = tools;
        Skip = ExternalTool.SkipReason(tools);
    }

    public IReadOnlyList<string> Tools { get; }
}
