using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace HomeLab.Tests.ReadBack;

/// <summary>
/// The Go functions the Docker provider passes values through, re-implemented from their source for the read-back
/// model (independently of the product's emitter, which must agree with them).
/// </summary>
internal static partial class GoForms
{
    private static readonly BigInteger Billion = 1_000_000_000;

    /// <summary>
    /// docker/cli opts.ParseCPUs: big.Rat.SetString, times 1e9, must be an integer ("value is too precise").
    /// Returns null where the provider's create would fail.
    /// </summary>
    public static BigInteger? ParseCpus(string text)
    {
        var match = Decimal().Match(text);
        if (!match.Success || !text.Any(char.IsAsciiDigit))
        {
            return null;
        }

        var whole = BigInteger.Parse(match.Groups["whole"].Value.Length > 0 ? match.Groups["whole"].Value : "0", CultureInfo.InvariantCulture);
        var fraction = match.Groups["fraction"].Value;
        if (fraction.TrimEnd('0').Length > 9)
        {
            return null;
        }

        var nanos = fraction.Length == 0 ? BigInteger.Zero : BigInteger.Parse(fraction.PadRight(9, '0')[..9], CultureInfo.InvariantCulture);
        return (whole * Billion) + nanos;
    }

    /// <summary>
    /// nanoInt64ToDecimalString (terraform-provider-docker v4.5.0, internal/provider/helpers.go): "0" for zero;
    /// rat.FloatString(9); if that text contains exactly nine '0' characters, rat.FloatString(1); else the
    /// FloatString(9) text with trailing '0's trimmed.
    /// </summary>
    public static string NanoInt64ToDecimalString(BigInteger nanos)
    {
        if (nanos.IsZero)
        {
            return "0";
        }

        var str = FloatString(nanos, Billion, 9);
        return str.Count(c => c == '0') == 9 ? FloatString(nanos, Billion, 1) : str.TrimEnd('0');
    }

    /// <summary>Go's big.Rat.FloatString for x = a/b ≥ 0: <paramref name="prec"/> digits after the point, the last rounded half up.</summary>
    private static string FloatString(BigInteger a, BigInteger b, int prec)
    {
        var q = BigInteger.DivRem(a, b, out var r);
        var p = BigInteger.Pow(10, prec);
        var fraction = BigInteger.DivRem(r * p, b, out var r2);
        if (r2 * 2 >= b)
        {
            fraction += 1;
            if (fraction >= p)
            {
                fraction -= p;
                q += 1;
            }
        }

        return q.ToString(CultureInfo.InvariantCulture) + "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(prec, '0');
    }

    /// <summary>Go's time.ParseDuration for the forms a healthcheck takes ("30s", "1m0s", "1h30m", "500ms", "1.5s"); null when invalid.</summary>
    public static long? ParseDurationNanos(string text)
    {
        if (text == "0")
        {
            return 0;
        }

        var parts = DurationPart().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(m => m.Value)) != text)
        {
            return null;
        }

        decimal total = 0;
        foreach (Match part in parts)
        {
            var unit = part.Groups["unit"].Value switch
            {
                "ns" => 1m,
                "us" or "µs" => 1e3m,
                "ms" => 1e6m,
                "s" => 1e9m,
                "m" => 60e9m,
                "h" => 3600e9m,
                _ => 0m,
            };
            total += decimal.Parse(part.Groups["number"].Value, CultureInfo.InvariantCulture) * unit;
        }

        return (long)decimal.Truncate(total);
    }

    /// <summary>
    /// Go's time.Duration.String (src/time/time.go): "0s"; under a second in ns/µs/ms with the fraction trimmed;
    /// otherwise [Nh][Nm]N[.frac]s, with minutes printed whenever hours are and seconds always.
    /// </summary>
    public static string DurationString(long nanos)
    {
        if (nanos == 0)
        {
            return "0s";
        }

        if (nanos < 1_000_000_000)
        {
            var (unit, size) = nanos < 1_000 ? ("ns", 1L) : nanos < 1_000_000 ? ("µs", 1_000L) : ("ms", 1_000_000L);
            return Trim(nanos / (decimal)size) + unit;
        }

        var text = new StringBuilder();
        var hours = nanos / 3_600_000_000_000;
        var minutes = nanos / 60_000_000_000 % 60;
        var seconds = nanos % 60_000_000_000 / 1e9m;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        return text.Append(Trim(seconds)).Append('s').ToString();
    }

    private static string Trim(decimal value) => value.ToString("0.#########", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\+?(?<whole>[0-9]*)(\.(?<fraction>[0-9]*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Decimal();

    [GeneratedRegex(@"(?<number>[0-9]+(\.[0-9]*)?|\.[0-9]+)(?<unit>ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPart();
}
