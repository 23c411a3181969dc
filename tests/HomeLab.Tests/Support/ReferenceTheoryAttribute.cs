namespace HomeLab.Tests.Support;

/// <summary>A theory that needs the upstream reference data (see <see cref="Repo.ReferenceDirectory"/>): skipped with the reason outside CI when it is absent.</summary>
public sealed class ReferenceTheoryAttribute : TheoryAttribute
{
    public ReferenceTheoryAttribute() => Skip = Repo.ReferenceSkipReason();
}
