namespace HomeLab.Spec;

/// <summary>One problem in a stack file: where it is, what is wrong, and how to fix it.</summary>
internal sealed record Diagnostic(string File, SourceMark At, string Problem, string Fix)
{
    public override string ToString() => $"{File}:{At.Line}:{At.Column}: {Problem} — {Fix}";
}
