namespace HomeLab.Tests.Support;

/// <summary>How a process (or a command run in-process) ended and what it printed: the one result record of the tests.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Both streams, for messages that may land on either.</summary>
    public string Output => Stdout + Stderr;
}
