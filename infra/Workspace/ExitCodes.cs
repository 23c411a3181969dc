namespace HomeLab.Workspace;

internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something failed at run time (a check, a hook, a changed diff where documented).</summary>
    public const int Failed = 1;

    /// <summary>Bad input: a stack file mistake or a wrong command line.</summary>
    public const int BadInput = 2;
}
