using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HomeLab.Tests.Hooks.StandIn;

/// <summary>Go's fmt "%#v" for the values a JSON decode yields (float64, bool, string), as /api/show prints parameters.</summary>
internal static class GoFormat
{
    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string SharpV(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Number => Float(value.GetValue<double>()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => Quote(value.GetValue<string>()),
    };

    /// <summary>
    /// strconv.FormatFloat(f, 'g', -1, 64): the shortest digits that round-trip, in exponent form when the exponent is
    /// below -4 or at least 6 ('if precision was the shortest possible, use precision 6 for this decision').
    /// </summary>
    public static string Float(double f)
    {
        var (digits, point) = ShortestDigits(Math.Abs(f));
        var sign = f < 0 ? "-" : "";
        var exponent = point - 1;
        if (digits == "0")
        {
            return "0";
        }

        if (exponent < -4 || exponent >= 6)
        {
            var mantissa = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : digits;
            return $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }

        return sign + (point <= 0 ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length)
            : $"{digits[..point]}.{digits[point..]}");
    }

    /// <summary>The shortest round-trip digits of a non-negative number and where its decimal point falls.</summary>
    private static (string Digits, int Point) ShortestDigits(double f)
    {
        var text = f.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        if (text.IndexOf('E', StringComparison.Ordinal) is var e and >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? "" : text[(dot + 1)..];
        string digits;
        int point;
        if (whole.TrimStart('0').Length > 0)
        {
            digits = whole.TrimStart('0') + fraction;
            point = whole.TrimStart('0').Length;
        }
        else
        {
            digits = fraction.TrimStart('0');
            point = -(fraction.Length - digits.Length);
        }

        digits = digits.TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, point + exponent);
    }

    /// <summary>
    /// strconv.Quote for the texts a stop parameter holds: quote, backslash, newline and tab escaped with a backslash
    /// (other control characters come out as \u00XX where Go writes \xXX; no test text has them).
    /// </summary>
    private static string Quote(string text) => JsonSerializer.Serialize(text, QuoteOptions);
}
