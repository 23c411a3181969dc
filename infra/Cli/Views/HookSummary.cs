using System.Globalization;

using HomeLab.Hooks;

namespace HomeLab.Cli.Views;

/// <summary>The human summary of an instance's hooks run, on stderr: steps, models, checks, then one line per failure.</summary>
internal static class HookSummary
{
    public static void Write(InstanceReport report, string stack, TextWriter writer)
    {
        writer.WriteLine($"hooks {stack}/{HookPlan.TargetOf(report.Instance, report.Replica)} via {report.Via} {report.Url}: {(report.Ok ? "ok" : "FAILED")}");
        foreach (var step in report.Steps)
        {
            writer.WriteLine($"  step  {step.Step,-7} {step.Result,-8} {Seconds(step.DurationMs),7}  {step.Detail}");
        }

        foreach (var model in report.Models)
        {
            var facts = new List<string> { model.State };
            if (model.BytesPulled > 0)
            {
                facts.Add($"{Durations.Bytes(model.BytesPulled)} in {Seconds(model.PullMs)}");
            }

            if (model.PullAttempts > 1)
            {
                facts.Add($"{model.PullAttempts} attempts");
            }

            if (model.LoadMs is { } load)
            {
                facts.Add($"load {Seconds(load)}");
            }

            if (model.TokensPerSecond is { } rate)
            {
                facts.Add($"{rate.ToString("0.#", CultureInfo.InvariantCulture)} tok/s");
            }

            if (model.EmbeddingLength is { } length)
            {
                facts.Add($"{length}-dim embedding");
            }

            if (!model.Declared)
            {
                facts.Add("base of a custom model");
            }

            writer.WriteLine($"  model {model.Name,-28} {string.Join(" · ", facts)}");
        }

        foreach (var check in report.Checks)
        {
            var subject = check.Model is null ? "" : $" ({check.Model})";
            writer.WriteLine($"  check {(check.Ok ? "ok  " : check.Result is CheckReport.Unproven ? "UNPROVEN" : "FAIL")}  {check.Check}{subject}: {check.Detail}");
        }

        if (report.Removed.Count > 0)
        {
            writer.WriteLine($"  removed {string.Join(", ", report.Removed)}");
        }

        foreach (var failure in report.Failures)
        {
            writer.WriteLine($"homelab hooks: {stack}/{HookPlan.TargetOf(report.Instance, report.Replica)}: {failure}");
        }

        writer.Flush();
    }

    private static string Seconds(double? milliseconds) => milliseconds is { } ms ? Durations.Text(TimeSpan.FromMilliseconds(ms)) : "-";
}
