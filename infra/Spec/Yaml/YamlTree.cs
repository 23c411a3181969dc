
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace HomeLab.Spec.Yaml;

/// <summary>
/// Reads YAML text into <see cref="YamlValue"/> nodes from the parser's event stream, iteratively, so that
/// hostile files (deep nesting, alias bombs, huge inputs) end in a diagnostic instead of a crash.
/// </summary>
internal static class YamlTree
{
    public const int MaxDepth = 64;
    public const int MaxBytes = 1 << 20;
    public const int MaxNodes = 200_000;

    public static YamlValue? Parse(string text, string file, List<Diagnostic> diagnostics)
    {
        if (text.Length > MaxBytes)
        {
            diagnostics.Add(new Diagnostic(file, SourceMark.Start, $"the file is {text.Length:N0} characters long, more than the {MaxBytes:N0} a stack file may have",
                "split the stack into several stacks or remove generated content"));
            return null;
        }

        var scanner = new Scanner(new StringReader(text));
        var open = new Stack<Builder>();
        try
        {
            return ParseEvents(new Parser(scanner), open, file, diagnostics);
        }
        catch (YamlException e) when (Describe(e).Contains("flow", StringComparison.Ordinal) && Unclosed(open, file) is { } unclosed)
        {
            // "While parsing a flow sequence, did not find expected ',' or ']'" stands where reading stopped, often
            // the end of the file; the bracket to close is where the operator has to look.
            diagnostics.Add(unclosed);
            return null;
        }
        catch (YamlException e)
        {
            var at = Describe(e).Contains("tab", StringComparison.Ordinal) ? FirstIndentingTab(text) ?? ToMark(e.Start) : ToMark(e.Start);
            diagnostics.Add(new Diagnostic(file, at, $"YAML syntax error: {Describe(e)}",
                "fix the YAML syntax at this position (check indentation, quotes and colons)"));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, for input it cannot tokenise: seen for a flow
            // collection left open at the end of the file ('kind: [docker'). The innermost open '[' or '{' is what
            // the operator has to close; without one, the scanner's position is where reading stopped.
            diagnostics.Add(Unclosed(open, file) ?? new Diagnostic(file, ToMark(scanner.CurrentPosition), "YAML syntax error: the file cannot be read past this point",
                "fix the YAML syntax at this position (check brackets, quotes, indentation and colons)"));
            return null;
        }
    }

    /// <summary>The innermost '[' or '{' still open when reading failed, as the problem to fix; null when none is.</summary>
    private static Diagnostic? Unclosed(Stack<Builder> open, string file) =>
        open.FirstOrDefault(b => b.Flow) is { } flow
            ? new Diagnostic(file, flow.At, $"YAML syntax error: the '{(flow.IsMap ? '{' : '[')}' here is never closed",
                $"close it with '{(flow.IsMap ? '}' : ']')}', or write the value without brackets")
            : null;

    private static YamlValue? ParseEvents(Parser parser, Stack<Builder> stack, string file, List<Diagnostic> diagnostics)
    {
        YamlValue? root = null;
        var documents = 0;
        var nodes = 0;

        while (parser.MoveNext())
        {
            var current = parser.Current!;
            switch (current)
            {
                case DocumentStart when documents++ > 0:
                    diagnostics.Add(new Diagnostic(file, ToMark(current.Start), "the file holds more than one YAML document",
                        "keep one document per stack file; remove the extra '---'"));
                    return null;
                case AnchorAlias alias:
                    diagnostics.Add(new Diagnostic(file, ToMark(alias.Start), $"YAML alias '*{alias.Value}' is not supported in stack files",
                        "write the value out in full; aliases make a stack file harder to review"));
                    return null;
                case NodeEvent node when ++nodes > MaxNodes:
                    diagnostics.Add(new Diagnostic(file, ToMark(node.Start), $"the file has more than {MaxNodes:N0} YAML nodes",
                        "split the stack into several stacks"));
                    return null;
                case NodeEvent { Tag.IsEmpty: false } tagged when !IsStandardTag(tagged.Tag.Value):
                    diagnostics.Add(new Diagnostic(file, ToMark(tagged.Start), $"YAML tag '{tagged.Tag.Value}' is not supported",
                        "remove the tag; stack files use plain values"));
                    return null;
                case MappingStart or SequenceStart when stack.Count >= MaxDepth:
                    diagnostics.Add(new Diagnostic(file, ToMark(current.Start), $"values are nested more than {MaxDepth} levels deep",
                        "flatten the structure; no stack setting needs this depth"));
                    return null;
                case MappingStart map:
                    stack.Push(new Builder(ToMark(map.Start), IsMap: true, map.Style is MappingStyle.Flow));
                    break;
                case SequenceStart seq:
                    stack.Push(new Builder(ToMark(seq.Start), IsMap: false, seq.Style is SequenceStyle.Flow));
                    break;
                case Scalar scalar:
                    var text = new YamlText(scalar.Value, scalar.Style is not ScalarStyle.Plain, ToMark(scalar.Start));
                    if (!Add(stack, text, ref root, file, diagnostics))
                    {
                        return null;
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    var done = stack.Pop();
                    if (!Add(stack, done.Build(), ref root, file, diagnostics))
                    {
                        return null;
                    }

                    break;
            }
        }

        return root;
    }

    private static bool Add(Stack<Builder> stack, YamlValue value, ref YamlValue? root, string file, List<Diagnostic> diagnostics)
    {
        if (stack.Count == 0)
        {
            root = value;
            return true;
        }

        var parent = stack.Peek();
        if (!parent.IsMap)
        {
            parent.Items.Add(value);
            return true;
        }

        if (parent.PendingKey is null)
        {
            if (value is not YamlText key)
            {
                diagnostics.Add(new Diagnostic(file, value.At, $"a mapping key is {value.KindName}",
                    "use a plain name as the key"));
                return false;
            }

            if (!parent.Keys.Add(key.Text))
            {
                diagnostics.Add(new Diagnostic(file, key.At, $"key '{key.Text}' appears twice in the same mapping",
                    "keep one of them; YAML would silently use only the last"));
                return false;
            }

            parent.PendingKey = key;
            return true;
        }

        parent.Entries.Add(new YamlEntry(parent.PendingKey, value));
        parent.PendingKey = null;
        return true;
    }

    /// <summary>YAML forbids tabs in indentation; the parser reports the enclosing block, the operator needs the tab.</summary>
    private static SourceMark? FirstIndentingTab(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indent)
            {
                return new SourceMark(i + 1, tab + 1);
            }
        }

        return null;
    }

    private static bool IsStandardTag(string tag) => tag is "tag:yaml.org,2002:str" or "!";

    private static string Describe(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        var paren = message.IndexOf("): ", StringComparison.Ordinal);
        return (paren >= 0 && message.StartsWith('(') ? message[(paren + 3)..] : message).TrimEnd('.');
    }

    private static SourceMark ToMark(Mark mark) => new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private sealed class Builder(SourceMark at, bool IsMap, bool Flow)
    {
        public SourceMark At { get; } = at;

        public bool IsMap { get; } = IsMap;

        /// <summary>Written with brackets ('[a, b]', '{a: b}') rather than as indented lines.</summary>
        public bool Flow { get; } = Flow;

        public List<YamlValue> Items { get; } = [];

        public List<YamlEntry> Entries { get; } = [];

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public YamlText? PendingKey { get; set; }

        public YamlValue Build() => IsMap ? new YamlMap(Entries, At) : new YamlList(Items, At);
    }
}
