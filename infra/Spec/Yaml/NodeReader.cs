using System.Globalization;
using System.Text.RegularExpressions;

using HomeLab.Spec.Shape;

namespace HomeLab.Spec.Yaml;

/// <summary>
/// Typed access to YAML nodes that records a diagnostic, instead of throwing, for every value of the wrong shape,
/// so one run reports every problem in a file.
/// </summary>
internal sealed partial class NodeReader(string file)
{
    public string File { get; } = file;

    public List<Diagnostic> Diagnostics { get; } = [];

    public void Error(SourceMark at, string problem, string fix) => Diagnostics.Add(new Diagnostic(File, at, problem, fix));

    /// <summary>Opens a mapping and checks its keys against <paramref name="allowed"/>, suggesting the nearest one for a typo.</summary>
    public MapView? Map(YamlValue? node, string what, params string[] allowed)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMap map)
        {
            Error(node.At, $"{what} must be a mapping, not {node.KindName}", $"write {what} as 'key: value' lines indented below it");
            return null;
        }

        // A set: for the hosts and instances mappings every key is allowed, and a list search there grew quadratically.
        var known = allowed.ToHashSet(StringComparer.Ordinal);
        foreach (var entry in map.Entries.Where(e => !known.Contains(e.Key.Text)))
        {
            var nearest = Suggest.Nearest(entry.Key.Text, allowed);
            Error(entry.Key.At, $"unknown key '{entry.Key.Text}' in {what}",
                nearest is null ? $"valid keys are: {string.Join(", ", allowed)}" : $"did you mean '{nearest}'? valid keys are: {string.Join(", ", allowed)}");
        }

        return new MapView(map);
    }

    public IReadOnlyList<YamlValue> List(YamlValue? node, string what)
    {
        switch (node)
        {
            case null:
                return [];
            case YamlList list:
                return list.Items;
            default:
                Error(node.At, $"{what} must be a list, not {node.KindName}", $"write each entry of {what} on its own line starting with '- '");
                return [];
        }
    }

    public string? Text(YamlValue? node, string what)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlText text when !text.Quoted && text.Text is "" or "~" or "null":
                Error(node.At, $"{what} is empty", $"give {what} a value or remove the key");
                return null;
            case YamlText text:
                if (text.Text.Any(char.IsControl))
                {
                    Error(node.At, $"{what} contains a control character (newline, tab or similar)", $"write {what} on one line without control characters");
                    return null;
                }

                return text.Text;
            default:
                Error(node.At, $"{what} must be a single value, not {node.KindName}", $"write {what} as one value on the same line as its key");
                return null;
        }
    }

    /// <summary>Free text that may span lines, such as a system prompt.</summary>
    public string? Prose(YamlValue? node, string what) => node switch
    {
        null => null,
        YamlText text => text.Text,
        _ => Fail<string>(node, $"{what} must be text, not {node.KindName}", $"write {what} as text; use '|' for several lines"),
    };

    public int? Int(YamlValue? node, string what, int min, int max)
    {
        var text = Text(node, what);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return Fail<int?>(node!, $"{what} must be a whole number, not '{text}'", $"write a whole number from {min} to {max}");
        }

        if (value < min || value > max)
        {
            return Fail<int?>(node!, $"{what} is {value}, outside {min}..{max}", $"write a whole number from {min} to {max}");
        }

        return value;
    }

    public double? Number(YamlValue? node, string what, double min, double max)
    {
        var text = Text(node, what);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            return Fail<double?>(node!, $"{what} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not '{text}'",
                $"write a number such as 4 or 2.5");
        }

        return value;
    }

    public bool? Bool(YamlValue? node, string what)
    {
        var text = Text(node, what);
        return text is null ? null
            : YamlBool(text) is { } flag ? flag
            : Fail<bool?>(node!, $"{what} must be true or false, not '{text}'", text.ToLowerInvariant() is "yes" or "no" or "on" or "off" or "y" or "n"
                ? $"write true or false: YAML 1.2, which the editor and Pulumi read, takes '{text}' as text, not a boolean"
                : "write true or false");
    }

    /// <summary>
    /// A boolean as YAML 1.2's core schema reads a plain scalar (the schema the editor's language server and Pulumi's
    /// YAML reader use): true, True, TRUE, false, False, FALSE; anything else (yes, on, …) is text. Null otherwise.
    /// </summary>
    public static bool? YamlBool(string text) => text switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    public T? Enum<T>(YamlValue? node, string what, StackWords<T> words)
        where T : struct, System.Enum
    {
        var text = Text(node, what);
        if (text is null)
        {
            return null;
        }

        // A word that is a YAML boolean (tls: false) matches in any of YAML 1.2's spellings, as the editor reads it.
        if (words.Find(YamlBool(text) is { } flag ? StackText.Flag(flag) : text) is { } value)
        {
            return value;
        }

        var nearest = Suggest.Nearest(text, words.Words);
        return Fail<T?>(node!, $"{what} '{text}' is not one of {string.Join(", ", words.Words)}",
            nearest is null ? $"write one of: {string.Join(", ", words.Words)}" : $"did you mean '{nearest}'?");
    }

    public string? Choice(YamlValue? node, string what, params string[] choices)
    {
        var text = Text(node, what);
        if (text is null || choices.Contains(text))
        {
            return text;
        }

        var nearest = Suggest.Nearest(text, choices);
        return Fail<string>(node!, $"{what} '{text}' is not one of {string.Join(", ", choices)}",
            nearest is null ? $"write one of: {string.Join(", ", choices)}" : $"did you mean '{nearest}'?");
    }

    /// <summary>A size in binary units. Decimal units (GB, MB) are refused because operators mean different things by them.</summary>
    public long? Size(YamlValue? node, string what)
    {
        var text = Text(node, what);
        if (text is null)
        {
            return null;
        }

        var match = SizePattern().Match(text);
        if (!match.Success)
        {
            return Fail<long?>(node!, $"{what} '{text}' is not a size", "write a size with a binary unit, such as 512MiB, 24GiB or 1TiB");
        }

        var unit = match.Groups["unit"].Value;
        // More than 28 digits do not fit a decimal, and any amount above 2^50 is out of range in every unit.
        var amount = decimal.TryParse(match.Groups["amount"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed)
            ? Math.Min(parsed, 1L << 51)
            : 1L << 51;
        var binary = unit.ToUpperInvariant() switch
        {
            "KIB" => 1L << 10,
            "MIB" => 1L << 20,
            "GIB" => 1L << 30,
            "TIB" => 1L << 40,
            _ => 0L,
        };
        if (binary == 0)
        {
            var suggestion = $"{match.Groups["amount"].Value}{char.ToUpperInvariant(unit[0])}iB";
            return Fail<long?>(node!, $"{what} '{text}' is ambiguous: '{unit}' could mean powers of 1000 or of 1024",
                $"write {suggestion} (binary units: KiB, MiB, GiB, TiB)");
        }

        var bytes = amount * binary;
        if (bytes < 1 << 20 || bytes > 1L << 50)
        {
            return Fail<long?>(node!, $"{what} '{text}' is out of range", "write a size from 1MiB to 1024TiB");
        }

        return (long)bytes;
    }

    /// <summary>A duration such as 30s, 5m, 1h or 1h30m, in the form Ollama and Go accept.</summary>
    public TimeSpan? Duration(YamlValue? node, string what, bool allowNegative = false)
    {
        var text = Text(node, what);
        if (text is null)
        {
            return null;
        }

        var match = DurationPattern().Match(text);
        if (!match.Success || (!allowNegative && text.StartsWith('-')))
        {
            return Fail<TimeSpan?>(node!, $"{what} '{text}' is not a duration", allowNegative
                ? "write a duration such as 30s, 5m, 1h or 1h30m, or -1 to keep models loaded forever"
                : "write a duration such as 30s, 5m, 1h or 1h30m");
        }

        if (text == "-1")
        {
            return TimeSpan.FromSeconds(-1);
        }

        // In seconds, as a long: each part is at most 999999h, so a sum of them cannot overflow before the range check.
        var seconds = 0L;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var number = long.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
            seconds += part.Value[^1] switch
            {
                'h' => number * 3600,
                'm' => number * 60,
                _ => number,
            };
        }

        return seconds > MaxDurationSeconds
            ? Fail<TimeSpan?>(node!, $"{what} '{text}' is out of range", "write a duration of at most 2562047h, the longest Go (and so Ollama) can hold")
            : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Go's time.Duration is int64 nanoseconds: at most 2562047h47m16s (time.maxDuration).</summary>
    private const long MaxDurationSeconds = long.MaxValue / 1_000_000_000;

    public T? Fail<T>(YamlValue node, string problem, string fix)
    {
        Error(node.At, problem, fix);
        return default;
    }

    [GeneratedRegex(@"^(?<amount>[0-9]+(\.[0-9]+)?)\s?(?<unit>[KkMmGgTt][Ii]?[Bb]?)$", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

    [GeneratedRegex(@"^(-1|(?<part>[0-9]{1,6}[hms])+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
