namespace HomeLab.Spec;

/// <summary>Thrown when a stack cannot be compiled; carries every problem found, not just the first.</summary>
internal sealed class StackFileException(IReadOnlyList<Diagnostic> diagnostics)
    : Exception(string.Join(Environment.NewLine, diagnostics))
{
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;
}
