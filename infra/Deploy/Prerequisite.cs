namespace HomeLab.Deploy;

/// <summary>
/// Something a deploy needs on this machine: a program on PATH and, optionally, a command that must succeed
/// (a Docker engine that answers). <see cref="Fix"/> says how to install or repair it.
/// </summary>
internal sealed record Prerequisite(string What, string Program, IReadOnlyList<string>? Probe, string Fix);
