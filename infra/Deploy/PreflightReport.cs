using HomeLab.Spec;

namespace HomeLab.Deploy;

/// <summary>
/// The outcome of checking a stack's hosts: problems at their settings, hosts that could not be reached, hosts found
/// fit, and warnings about what fits but is risky (they never stop a deploy).
/// </summary>
internal sealed record PreflightReport(IReadOnlyList<Diagnostic> Problems, IReadOnlyList<string> Unreachable, IReadOnlyList<string> Fit, IReadOnlyList<Diagnostic> Warnings)
{
    public bool Passed => Problems.Count == 0 && Unreachable.Count == 0;

    public void WriteTo(TextWriter output)
    {
        foreach (var line in Fit)
        {
            output.WriteLine(line);
        }

        foreach (var warning in Warnings)
        {
            output.WriteLine(warning);
        }

        foreach (var problem in Problems)
        {
            output.WriteLine(problem);
        }

        foreach (var host in Unreachable)
        {
            output.WriteLine(host);
        }
    }
}
