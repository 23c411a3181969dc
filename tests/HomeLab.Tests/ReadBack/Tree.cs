using System.Globalization;

namespace HomeLab.Tests.ReadBack;

/// <summary>Small accessors over the emitted value tree (text, lists, maps by key).</summary>
internal static class Tree
{
    public static IReadOnlyList<object> List(object value) =>
        value as IReadOnlyList<object> ?? throw new InvalidOperationException($"expected a list, got {Canonical(value)}");

    public static SortedDictionary<string, object> Map(object value) =>
        value as SortedDictionary<string, object> ?? throw new InvalidOperationException($"expected a map, got {Canonical(value)}");

    public static string Text(object value) =>
        value as string ?? throw new InvalidOperationException($"expected a scalar, got {Canonical(value)}");

    public static long Integer(object value) => long.Parse(Text(value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A copy of a map with the schema's default for each key the program leaves out (what the plan holds).</summary>
    public static SortedDictionary<string, object> WithDefaults(object value, params (string Key, string Default)[] defaults)
    {
        var map = new SortedDictionary<string, object>(Map(value), StringComparer.Ordinal);
        foreach (var (key, fallback) in defaults)
        {
            map.TryAdd(key, fallback);
        }

        return map;
    }

    /// <summary>
    /// A text form for comparing values: maps by sorted key, lists in order, except the nested fields the provider
    /// schema types as sets (given in <paramref name="nestedSets"/>), which are sorted and deduplicated.
    /// </summary>
    public static string Canonical(object value, IReadOnlySet<string>? nestedSets = null, string? key = null) => value switch
    {
        string text => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        IReadOnlyList<object> list when key is not null && nestedSets?.Contains(key) == true =>
            "[" + string.Join(",", list.Select(i => Canonical(i, nestedSets)).Distinct().Order(StringComparer.Ordinal)) + "]",
        IReadOnlyList<object> list => "[" + string.Join(",", list.Select(i => Canonical(i, nestedSets))) + "]",
        SortedDictionary<string, object> map => "{" + string.Join(",", map.Select(e => e.Key + ":" + Canonical(e.Value, nestedSets, e.Key))) + "}",
        _ => throw new InvalidOperationException($"unexpected value {value.GetType().Name}"),
    };
}
