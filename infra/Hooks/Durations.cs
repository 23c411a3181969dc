using System.Globalization;

namespace HomeLab.Hooks;

internal static class Durations
{
    /// <summary>A short human form: 250ms, 42s, 5m, 1h30m.</summary>
    public static string Text(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1))
        {
            return $"{Math.Round(span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}ms";
        }

        if (span < TimeSpan.FromMinutes(1))
        {
            return $"{Math.Round(span.TotalSeconds, span.TotalSeconds < 10 ? 1 : 0).ToString(CultureInfo.InvariantCulture)}s";
        }

        var parts = new List<string>();
        if (span.Hours + (span.Days * 24) > 0)
        {
            parts.Add($"{(span.Days * 24) + span.Hours}h");
        }

        if (span.Minutes > 0)
        {
            parts.Add($"{span.Minutes}m");
        }

        if (span.Seconds > 0)
        {
            parts.Add($"{span.Seconds}s");
        }

        return string.Concat(parts);
    }

    public static double Milliseconds(TimeSpan span) => Math.Round(span.TotalMilliseconds, 1);

    /// <summary>Ollama reports durations in nanoseconds.</summary>
    public static double? FromNanoseconds(long? nanoseconds) => nanoseconds is { } ns ? Math.Round(ns / 1e6, 1) : null;

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return $"{value.ToString(unit == 0 ? "0" : "0.0", CultureInfo.InvariantCulture)} {units[unit]}";
    }
}
