namespace HomeLab.Review;

internal enum ChangeKind
{
    Added,
    Removed,
    Changed,
}
