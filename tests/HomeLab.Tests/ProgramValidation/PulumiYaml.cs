using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.ProgramValidation;

internal enum ScalarKind
{
    Null,
    Bool,
    Number,
    String,
}

/// <summary>A scalar as Pulumi YAML reads it: go-yaml v3 decides its kind, not YamlDotNet.</summary>
internal sealed record ScalarValue(ScalarKind Kind, string Text, double Number = 0);

/// <summary>One step of a property access: <c>.name</c>, <c>["key"]</c> or <c>[0]</c>.</summary>
internal abstract record Accessor;

internal sealed record NameAccessor(string Name) : Accessor
{
    public override string ToString() => "." + Name;
}

internal sealed record KeyAccessor(string Key) : Accessor
{
    public override string ToString() => $"[\"{Key}\"]";
}

internal sealed record IndexAccessor(int Index) : Accessor
{
    public override string ToString() => $"[{Index}]";
}

/// <summary>The inside of <c>${...}</c>: a root name and the accessors after it.</summary>
internal sealed record PropertyAccess(string Root, IReadOnlyList<Accessor> Tail)
{
    public override string ToString() => "${" + Root + string.Concat(Tail) + "}";
}

/// <summary>A string split into literal text and <c>${...}</c> references, as Pulumi YAML parses it.</summary>
internal sealed record Interpolation(string Literal, IReadOnlyList<PropertyAccess> References, bool IsSingleReference);

/// <summary>
/// The parts of Pulumi YAML's reading rules the validator needs, ported from pulumi-yaml
/// (syntax/encoding/yaml.go with go-yaml v3's resolver; ast/interpolation.go; ast/property.go).
/// </summary>
internal static partial class PulumiYaml
{
    public static ScalarValue Scalar(YamlScalarNode node)
    {
        var text = node.Value ?? "";
        var tag = node.Tag.IsEmpty ? "" : node.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" or "!" || (tag.Length == 0 && node.Style is not ScalarStyle.Plain and not ScalarStyle.Any))
        {
            return new(ScalarKind.String, text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return new(ScalarKind.Null, text);
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return new(ScalarKind.Bool, text);
        }

        if (text is ".nan" or ".NaN" or ".NAN" or ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF")
        {
            return new(ScalarKind.Number, text, double.NaN);
        }

        // go-yaml only tries numbers for scalars that start like one; timestamps stay strings when decoded into 'any'.
        if (text[0] is '+' or '-' or '.' or (>= '0' and <= '9'))
        {
            var plain = text[0] == '.' ? text : text.Replace("_", "", StringComparison.Ordinal);
            if (GoInteger(plain) is { } integer)
            {
                return new(ScalarKind.Number, text, integer);
            }

            if (YamlFloat().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return new(ScalarKind.Number, text, number);
            }
        }

        return new(ScalarKind.String, text);
    }

    /// <summary>
    /// Splits <paramref name="text"/> at <c>${...}</c>; <c>$$</c> is a literal <c>$</c>. Returns null and a reason
    /// when Pulumi YAML would refuse the string.
    /// </summary>
    public static Interpolation? Interpolate(string text, out string? error)
    {
        error = null;
        var literal = new StringBuilder();
        var references = new List<PropertyAccess>();
        var i = 0;
        while (i < text.Length)
        {
            if (string.CompareOrdinal(text, i, "$$", 0, 2) == 0)
            {
                literal.Append('$');
                i += 2;
            }
            else if (string.CompareOrdinal(text, i, "${", 0, 2) == 0)
            {
                var access = ParseAccess(text, i + 2, out i, out error);
                if (access is null)
                {
                    return null;
                }

                references.Add(access);
            }
            else
            {
                literal.Append(text[i++]);
            }
        }

        return new Interpolation(literal.ToString(), references, references.Count == 1 && literal.Length == 0);
    }

    private static PropertyAccess? ParseAccess(string text, int start, out int end, out string? error)
    {
        var accessors = new List<Accessor>();
        var i = start;
        end = text.Length;
        while (i < text.Length)
        {
            switch (text[i])
            {
                case '}':
                    end = i + 1;
                    error = null;
                    if (accessors is [NameAccessor { Name.Length: > 0 } root, .. var tail])
                    {
                        return new PropertyAccess(root.Name, tail);
                    }

                    if (accessors is [KeyAccessor quoted, .. var rest])
                    {
                        return new PropertyAccess(quoted.Key, rest);
                    }

                    error = $"'{text[(start - 2)..end]}' names nothing";
                    return null;
                case '.':
                    i++;
                    break;
                case '[' when i + 1 < text.Length && text[i + 1] == '"':
                    var key = new StringBuilder();
                    var j = i + 2;
                    for (; j < text.Length && text[j] != '"'; j++)
                    {
                        if (text[j] == '\\' && j + 1 < text.Length && text[j + 1] == '"')
                        {
                            j++;
                        }

                        key.Append(text[j]);
                    }

                    if (j + 1 >= text.Length || text[j + 1] != ']')
                    {
                        error = "missing closing quote or bracket in property name";
                        return null;
                    }

                    accessors.Add(new KeyAccessor(key.ToString()));
                    i = j + 2;
                    break;
                case '[':
                    var close = text.IndexOf(']', i);
                    if (close < 0 || !int.TryParse(text.AsSpan(i + 1, close - i - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
                    {
                        error = close < 0 ? "missing closing bracket in list index" : "invalid list index";
                        return null;
                    }

                    if (accessors.Count == 0)
                    {
                        error = "the root property must be a string subscript or a name";
                        return null;
                    }

                    accessors.Add(new IndexAccessor(index));
                    i = close + 1;
                    break;
                default:
                    var stop = text.IndexOfAny(['.', '[', '}'], i);
                    stop = stop < 0 ? text.Length : stop;
                    accessors.Add(new NameAccessor(text[i..stop]));
                    i = stop;
                    break;
            }
        }

        error = "unterminated interpolation";
        return null;
    }

    /// <summary>Go's strconv.ParseInt with base 0: decimal, 0x, 0o, 0b, and a leading 0 for octal.</summary>
    private static double? GoInteger(string text)
    {
        var negative = text.StartsWith('-');
        var body = text.TrimStart('+', '-');
        if (body.Length == 0 || text.Length - body.Length > 1)
        {
            return null;
        }

        var (digits, radix) = body.Length > 1 && body[0] == '0'
            ? char.ToLowerInvariant(body[1]) switch
            {
                'x' => (body[2..], 16),
                'o' => (body[2..], 8),
                'b' => (body[2..], 2),
                _ => (body[1..], 8),
            }
            : (body, 10);
        if (digits.Length == 0)
        {
            return null;
        }

        double value = 0;
        foreach (var c in digits)
        {
            var digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : 99;
            if (digit >= radix)
            {
                return null;
            }

            value = (value * radix) + digit;
        }

        return negative ? -value : value;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();
}
