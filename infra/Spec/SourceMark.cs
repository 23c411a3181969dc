namespace HomeLab.Spec;

/// <summary>A position in a stack file, 1-based as editors show it.</summary>
internal readonly record struct SourceMark(int Line, int Column)
{
    public static readonly SourceMark Start = new(1, 1);

    public override string ToString() => $"{Line}:{Column}";
}
