using System.Text;
using System.Text.Json;

using HomeLab.Conventions;
using HomeLab.Review;

namespace HomeLab.Cli.Views;

/// <summary>The parts of a diff report that speak the stack file's language and say what a deploy does to each resource. Pure.</summary>
internal static class StackTermsReport
{
    /// <summary>What deploying does to one resource, in a phrase: "updated in place", "replaced (envs cannot change in place)".</summary>
    public static string Describe(Verdict? verdict, string type) => verdict switch
    {
        null => "changed",
        { Effect: Effect.Create } => "created",
        { Effect: Effect.Delete } => "deleted",
        { Effect: Effect.UpdateInPlace, Because: null } => "updated in place",
        { Effect: Effect.UpdateInPlace, Because: var because } => $"updated in place ({because})",
        { Effect: Effect.Replace, Because: var because } => $"replaced ({Cause(because)})",
        { Effect: Effect.RunAgain, Because: var because } => $"runs again ({(because is null ? "inputs changed" : because.Contains(" refers to ", StringComparison.Ordinal) ? because : because + " changed")})",
        { Because: "options.provider" } => "changed (its provider changed: whether that replaces it is not modelled)",
        _ => $"changed (whether a change replaces a {type} is not modelled)",
    };

    private static string Cause(string? because) => because is null ? "replacement"
        : because.Contains(" refers to ", StringComparison.Ordinal) ? because + ", which is replaced or runs again"
        : because + " cannot change in place";

    /// <summary>One line for the reviewer's main question: is anything recreated, and which commands run again.</summary>
    public static string Consequences(StackDiff stack)
    {
        var changed = stack.Resources.Where(r => r.Kind is ChangeKind.Changed).ToList();
        var replaced = changed.Where(r => r.Verdict?.Effect is Effect.Replace).Select(r => $"{r.Name} ({r.Verdict!.Because})").ToList();
        var reruns = changed.Where(r => r.Verdict?.Effect is Effect.RunAgain).Select(r => r.Name).ToList();
        var unknown = changed.Where(r => r.Verdict?.Effect is Effect.NotModelled).Select(r => r.Name).ToList();
        var line = replaced.Count == 0 ? "nothing is replaced" : $"replaced: {string.Join(", ", replaced)}";
        line += reruns.Count > 0 ? $"; runs again: {string.Join(", ", reruns)}" : "";
        line += unknown.Count > 0 ? $"; not modelled: {string.Join(", ", unknown)}" : "";
        return line + string.Concat(changed.Where(r => r.Verdict?.Effect is Effect.Replace && r.Type == StatefulSet).Select(r => "; " + StatefulSetWarning(r)));
    }

    private const string StatefulSet = "kubernetes:apps/v1:StatefulSet";

    /// <summary>
    /// A replaced StatefulSet in the stack's words: its pods restart, and Kubernetes keeps the model claims of a
    /// deleted StatefulSet (persistentVolumeClaimRetentionPolicy defaults to Retain), so the new one adopts them by
    /// name and a new claim size or storage class reaches only replicas that have no claim yet.
    /// </summary>
    private static string StatefulSetWarning(ResourceChange change)
    {
        var instance = change.Name.EndsWith("-statefulset", StringComparison.Ordinal) ? change.Name[..^"-statefulset".Length] : change.Name;
        var volumes = change.Verdict!.Because?.StartsWith("spec.volumeClaimTemplates", StringComparison.Ordinal) == true
            ? $"; the existing model volumes are kept as they were, so a new storage size or class applies only after deleting the claims {KubernetesNames.ModelsClaim}-{KubernetesNames.StatefulSet(instance)}-N (its models are then pulled again)"
            : "; its model volumes are kept";
        return $"warning: instance '{instance}' is recreated — all its pods restart{volumes}";
    }

    public static void Text(StringBuilder text, StackDiff stack)
    {
        if (stack.Spec.Count == 0)
        {
            return;
        }

        text.Append("  in the stack file:\n");
        foreach (var section in stack.Spec)
        {
            text.Append("    ").Append(DiffReport.Symbol(section.Kind)).Append(' ').Append(section.Section).Append('\n');
            foreach (var setting in section.Settings)
            {
                text.Append("        ").Append(Symbol(setting)).Append(' ').Append(setting.Setting).Append(": ").Append(Values(setting)).Append('\n');
            }
        }
    }

    public static void Markdown(StringBuilder md, StackDiff stack)
    {
        if (stack.Spec.Count == 0)
        {
            return;
        }

        md.Append("\n**In the stack file**\n\n| | where | setting | before | after |\n| --- | --- | --- | --- | --- |\n");
        foreach (var section in stack.Spec)
        {
            if (section.Settings.Count == 0)
            {
                md.Append("| ").Append(DiffReport.Symbol(section.Kind)).Append(" | ").Append(MarkdownDiffReport.Code(section.Section)).Append(" | | | |\n");
            }

            foreach (var setting in section.Settings)
            {
                md.Append("| ").Append(Symbol(setting)).Append(" | ").Append(MarkdownDiffReport.Code(section.Section)).Append(" | ").Append(MarkdownDiffReport.Code(setting.Setting)).Append(" | ")
                    .Append(setting.Before is null ? "_(none)_" : MarkdownDiffReport.Code(setting.Before)).Append(" | ")
                    .Append(setting.After is null ? "_(none)_" : MarkdownDiffReport.Code(setting.After)).Append(" |\n");
            }
        }
    }

    public static void Json(Utf8JsonWriter json, StackDiff stack)
    {
        json.WriteString("consequences", Consequences(stack));
        json.WriteStartArray("spec");
        foreach (var section in stack.Spec)
        {
            json.WriteStartObject();
            json.WriteString("section", section.Section);
            json.WriteString("change", ChangeKindWords.Of(section.Kind));
            json.WriteStartArray("settings");
            foreach (var setting in section.Settings)
            {
                json.WriteStartObject();
                json.WriteString("setting", setting.Setting);
                json.WriteString("before", setting.Before);
                json.WriteString("after", setting.After);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>A resource's effect for JSON: create, delete, update, replace, run-again or not-modelled, and why.</summary>
    public static void Json(Utf8JsonWriter json, ResourceChange resource)
    {
        json.WriteString("effect", resource.Verdict?.Effect switch
        {
            Effect.Create => "create",
            Effect.Delete => "delete",
            Effect.UpdateInPlace => "update",
            Effect.Replace => "replace",
            Effect.RunAgain => "run-again",
            _ => "not-modelled",
        });
        json.WriteString("because", resource.Verdict?.Because);
    }

    private static string Values(SettingChange setting) => (setting.Before, setting.After) switch
    {
        (null, { } after) => after,
        ({ } before, null) => before,
        _ => $"{setting.Before} → {setting.After}",
    };

    private static char Symbol(SettingChange setting) => DiffReport.Symbol(setting.Before is null ? ChangeKind.Added : setting.After is null ? ChangeKind.Removed : ChangeKind.Changed);
}
