namespace HomeLab.Tests.ProgramValidation;

/// <summary>One thing Pulumi would refuse (or silently misread) in a program: where it is and what is wrong.</summary>
internal sealed record ProgramError(string Subject, string Path, string Problem, long Line)
{
    public override string ToString() => $"{Subject}{(Path.Length > 0 ? " " + Path : "")}: {Problem} (line {Line})";
}
