namespace HomeLab.Deploy;

internal enum PulumiVerb
{
    Up,
    Preview,
    Destroy,
}
