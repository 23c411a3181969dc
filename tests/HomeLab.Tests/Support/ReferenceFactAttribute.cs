namespace HomeLab.Tests.Support;

/// <summary>A fact that needs the upstream reference data (see <see cref="Repo.ReferenceDirectory"/>): skipped with the reason outside CI when it is absent.</summary>
public sealed class ReferenceFactAttribute : FactAttribute
{
    public ReferenceFactAttribute() => Skip = Repo.ReferenceSkipReason();
}
