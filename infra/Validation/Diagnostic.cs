using HomeLab.Spec;

namespace HomeLab.Validation;

/// <summary>One problem in a stack file: where it is, what is wrong, and how to fix it.</summary>
internal sealed record Diagnostic(string File, SourceMark At, string Problem, string Fix)
{
    public override string ToString() => $"{File}:{At.Line}:{At.Column}: {Problem} — {Fix}";
}

/// <summary>Thrown when a stack cannot be compiled; carries every problem found, not just the first.</summary>
internal sealed class StackFileException(IReadOnlyList<Diagnostic> diagnostics)
    : Exception(string.Join(Environment.NewLine, diagnostics))
{
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;
}
