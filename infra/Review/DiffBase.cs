namespace HomeLab.Review;

/// <summary>What the programs were compared against: the ref the operator gave (or the default) and its commit.</summary>
internal sealed record DiffBase(string Ref, string Commit)
{
    public string Short => Commit.Length > 12 ? Commit[..12] : Commit;
}
