using HomeLab.Spec;

namespace HomeLab.Deploy;

/// <summary>
/// The outcome of checking a stack's hosts: problems at their settings, hosts that could not be reached, hosts found
/// fit, and warnings about what fits but is risky (they never stop a deploy).
/// </summary>
internal sealed record PreflightReport(IReadOnlyList<Diagnostic> Problems, IReadOnlyList<string> Unreachable, IReadOnlyList<string> Fit, IReadOnlyList<Diagnostic> Warnings)
{
    public bool Passed => Problems.Count == 0 && Unreachable.Count == 0;

    /// <summary>The reports of several hosts as one, problems in the order of the stack file.</summary>
    public static PreflightReport Combine(IEnumerable<PreflightReport> reports)
    {
        var all = reports.ToList();
        return new PreflightReport(
            all.SelectMany(r => r.Problems).OrderBy(p => p.At.Line).ThenBy(p => p.At.Column).ToList(),
            all.SelectMany(r => r.Unreachable).ToList(),
            all.SelectMany(r => r.Fit).ToList(),
            all.SelectMany(r => r.Warnings).ToList());
    }

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
