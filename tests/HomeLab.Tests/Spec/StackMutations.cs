using System.Text;

using FsCheck;
using FsCheck.Fluent;

namespace HomeLab.Tests.Spec;

/// <summary>One damaged stack file: the bytes to write and the steps that made them (printed when a case fails).</summary>
public sealed record DamagedFile(string Source, string Steps, byte[] Bytes)
{
    public override string ToString() => $"{Source} after {Steps}";
}

/// <summary>
/// Damages the example stacks the ways an editor, a paste or a bad merge does: truncation, unbalanced brackets and
/// quotes, huge and tiny numbers, random bytes, deep nesting, duplicate keys, anchors and aliases, tabs and BOMs.
/// Each case applies one to three damages, so the loader meets them alone and together.
/// </summary>
internal static class StackMutations
{
    private sealed record Damage(string Name, Func<byte[], Gen<byte[]>> Apply);

    private static readonly string[] Numbers =
    [
        "99999999999999999999", "99999999999999999999GiB", "1e400", "-1e400", "1e-400", "0", "-0", "-1", "0.0000000001",
        "79228162514264337593543950336", "9223372036854775808", "2147483648", "-2147483649", "0x7fffffff", ".inf", "-.inf",
        ".nan", "1_000", "0.1GiB", "1.5TiB", "1024TiB", "99999999999999999999.9999999999MiB", "0000000000000000000001", "1e3",
    ];

    private static readonly string[] Openers = ["[", "{", "\"", "'", "]", "}", "[docker", "{docker", "\"docker", "'docker", "[a, {b: [c", "{a: [", "`", "|", ">", "- ", ": ", "? ", "#", "%YAML 1.2", "---", "..."];

    private static readonly string[] Anchors =
    [
        "&a ", "*a", "&anchor {a: 1}", "<<: *a", "*undefined", "!!str ", "!custom ", "!!binary ", "&a [*a]", "{<<: {a: 1}}",
    ];

    private static readonly Damage[] Damages =
    [
        new("truncation", bytes => Gen.Choose(0, bytes.Length).Select(n => bytes[..n])),
        new("an unbalanced bracket or quote", bytes => Insert(bytes, Gen.Elements(Openers), afterValueStart: true)),
        new("a huge or tiny number", bytes => Gen.Elements(Numbers).SelectMany(number => ReplaceValue(bytes, number))),
        new("random bytes", bytes => Gen.Choose(1, 16).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n))
            .SelectMany(noise => Gen.Choose(0, bytes.Length).Select(at => Splice(bytes, at, 0, noise)))),
        new("deep nesting", bytes => Gen.Choose(1, 300).SelectMany(depth => Gen.Elements(
            new string('[', depth) + new string(']', depth),
            string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth),
            string.Concat(Enumerable.Range(0, depth).Select(i => "\n" + new string(' ', 2 * (i + 1)) + "a:")) + " 1",
            new string('[', depth))).SelectMany(nested => ReplaceValue(bytes, nested))),
        new("a duplicated line", bytes => LineIndex(bytes).Select(i => Lines(bytes, lines =>
        {
            lines.Insert(i, lines[i]);
            return lines;
        }))),
        new("an anchor or alias", bytes => Insert(bytes, Gen.Elements(Anchors), afterValueStart: true)),
        new("a tab", bytes => Gen.Elements("\t", "\t\t", " \t").SelectMany(tab => LineIndex(bytes).Select(i => Lines(bytes, lines =>
        {
            lines[i] = tab + lines[i].TrimStart(' ');
            return lines;
        })))),
        new("a byte order mark", bytes => Gen.Elements<byte[]>([0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0xFF, 0xFE, 0x00, 0x00])
            .SelectMany(bom => Gen.Elements(0, 0, bytes.Length / 2).Select(at => Splice(bytes, at, 0, bom)))),
        new("a removed line", bytes => LineIndex(bytes).Select(i => Lines(bytes, lines =>
        {
            lines.RemoveAt(i);
            return lines;
        }))),
    ];

    /// <summary>Damaged copies of the given stack files (name → text).</summary>
    public static Gen<DamagedFile> Of(IReadOnlyDictionary<string, string> sources) =>
        from source in Gen.Elements(sources.Keys.Order(StringComparer.Ordinal).ToArray())
        from count in Gen.Frequency((6, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Constant(3)))
        from damages in Gen.ArrayOf(Gen.Elements(Damages), count)
        from bytes in ApplyAll(Encoding.UTF8.GetBytes(sources[source]), damages)
        select new DamagedFile(source, string.Join(", then ", damages.Select(d => d.Name)), bytes);

    private static Gen<byte[]> ApplyAll(byte[] bytes, IEnumerable<Damage> damages) =>
        damages.Aggregate(Gen.Constant(bytes), (gen, damage) => gen.SelectMany(damage.Apply));

    /// <summary>Puts text at a random place; with <paramref name="afterValueStart"/> mostly right after a "key: ", where values begin.</summary>
    private static Gen<byte[]> Insert(byte[] bytes, Gen<string> texts, bool afterValueStart) =>
        from text in texts
        from at in afterValueStart ? Gen.Frequency((3, ValueStart(bytes)), (1, Gen.Choose(0, bytes.Length))) : Gen.Choose(0, bytes.Length)
        select Splice(bytes, at, 0, Encoding.UTF8.GetBytes(text));

    /// <summary>Replaces the value after one "key: " (to the end of its line, comments included) with the given text.</summary>
    private static Gen<byte[]> ReplaceValue(byte[] bytes, string value) =>
        ValueStart(bytes).Select(at =>
        {
            var end = Array.IndexOf(bytes, (byte)'\n', at);
            end = end < 0 ? bytes.Length : end;
            return Splice(bytes, at, end - at, Encoding.UTF8.GetBytes(value));
        });

    /// <summary>The offset just after a random ": " (or the end of the file when there is none).</summary>
    private static Gen<int> ValueStart(byte[] bytes)
    {
        var starts = Enumerable.Range(0, Math.Max(0, bytes.Length - 1)).Where(i => bytes[i] == ':' && bytes[i + 1] == ' ').Select(i => i + 2).ToArray();
        return starts.Length == 0 ? Gen.Constant(bytes.Length) : Gen.Elements(starts);
    }

    private static Gen<int> LineIndex(byte[] bytes) => Gen.Choose(0, Math.Max(0, Encoding.UTF8.GetString(bytes).Split('\n').Length - 1));

    private static byte[] Lines(byte[] bytes, Func<List<string>, List<string>> edit) =>
        Encoding.UTF8.GetBytes(string.Join('\n', edit([.. Encoding.UTF8.GetString(bytes).Split('\n')])));

    private static byte[] Splice(byte[] bytes, int at, int remove, byte[] insert) => [.. bytes[..at], .. insert, .. bytes[(at + remove)..]];
}
