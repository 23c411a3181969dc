using System.Globalization;

namespace HomeLab.Spec;

/// <summary>
/// Values written back the way a stack file spells them (24GiB, 5m, least_conn), so that what <c>homelab plan</c>
/// and <c>homelab diff</c> show can be searched for in the stack file. Choice words come from <see cref="SpecShape"/>.
/// </summary>
internal static class StackText
{
    private static readonly (string Unit, long Bytes)[] SizeUnits = [("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10)];

    /// <summary>The largest binary unit that holds the size exactly (1.5GiB reads back as 1536MiB).</summary>
    public static string Size(long bytes)
    {
        foreach (var (unit, size) in SizeUnits)
        {
            if (bytes > 0 && bytes % size == 0)
            {
                return $"{bytes / size}{unit}";
            }
        }

        return $"{bytes}B";
    }

    /// <summary>A duration as h, m and s parts (1h30m, 45s); a negative one is -1, Ollama's "forever".</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return "-1";
        }

        var parts = (duration.Days * 24 + duration.Hours > 0 ? $"{(duration.Days * 24) + duration.Hours}h" : "") +
            (duration.Minutes > 0 ? $"{duration.Minutes}m" : "") +
            (duration.Seconds > 0 ? $"{duration.Seconds}s" : "");
        return parts.Length > 0 ? parts : "0s";
    }

    /// <summary>The tuning a stack sets, as its keys under <c>tuning:</c> and their values; unset keys are left out.</summary>
    public static IReadOnlyList<(string Key, string Value)> Tuning(TuningSpec tuning)
    {
        (string, string?)[] all =
        [
            ("keepAlive", tuning.KeepAlive),
            ("numParallel", tuning.NumParallel is { } parallel ? Number(parallel) : null),
            ("maxLoadedModels", tuning.MaxLoadedModels is { } loaded ? Number(loaded) : null),
            ("contextLength", tuning.ContextLength is { } context ? Number(context) : null),
            ("flashAttention", tuning.FlashAttention is { } flash ? Flag(flash) : null),
            ("kvCacheType", tuning.KvCacheType),
            ("maxQueue", tuning.MaxQueue is { } queue ? Number(queue) : null),
        ];
        return all.Where(t => t.Item2 is not null).Select(t => (t.Item1, t.Item2!)).ToList();
    }

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Flag(bool value) => value ? "true" : "false";
}
