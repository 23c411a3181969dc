namespace HomeLab.Spec;

internal enum RebuildMode
{
    Switch,
    Test,
    Boot,
}
