using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

using HomeLab.Program;

namespace HomeLab.Review;

/// <summary>
/// Compares two compiled programs as models, not as text: resources matched by name, properties by path, list
/// items aligned so that one inserted item does not show every later item as changed. Pure.
/// </summary>
internal static partial class ProgramDiff
{
    public const string Masked = "[secret]";

    public static StackDiff Compare(string stack, PulumiProgram? before, PulumiProgram? after)
    {
        var secrets = (before?.Config ?? []).Concat(after?.Config ?? []).Where(c => c.Secret).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var diff = new Differ(secrets);
        var oldResources = (before?.Resources ?? []).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var newResources = (after?.Resources ?? []).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var resources = new List<ResourceChange>();
        foreach (var resource in after?.Resources ?? [])
        {
            if (!oldResources.TryGetValue(resource.Name, out var old))
            {
                resources.Add(new ResourceChange(resource.Name, resource.Type, ChangeKind.Added, diff.Properties(null, resource)));
            }
            else if (diff.Properties(old, resource) is { Count: > 0 } changes)
            {
                resources.Add(new ResourceChange(resource.Name, resource.Type, ChangeKind.Changed, changes));
            }
        }

        resources.AddRange((before?.Resources ?? []).Where(r => !newResources.ContainsKey(r.Name))
            .Select(r => new ResourceChange(r.Name, r.Type, ChangeKind.Removed, diff.Properties(r, null))));

        var config = new List<PropertyChange>();
        foreach (var name in Union(before?.Config.Select(c => c.Name), after?.Config.Select(c => c.Name)))
        {
            var old = before?.Config.FirstOrDefault(c => c.Name == name);
            var now = after?.Config.FirstOrDefault(c => c.Name == name);
            var (oldText, newText) = (old is null ? null : diff.Describe(old), now is null ? null : diff.Describe(now));
            if (oldText != newText)
            {
                config.Add(new PropertyChange(name, oldText, newText));
            }
        }

        var outputs = new List<PropertyChange>();
        foreach (var name in Union(before?.Outputs.Select(o => o.Name), after?.Outputs.Select(o => o.Name)))
        {
            diff.Compare(Path.Key("", name), before?.Outputs.FirstOrDefault(o => o.Name == name)?.Value, after?.Outputs.FirstOrDefault(o => o.Name == name)?.Value, outputs);
        }

        var presence = (before, after) switch
        {
            (null, not null) => ChangeKind.Added,
            (not null, null) => ChangeKind.Removed,
            _ => (ChangeKind?)null,
        };
        return new StackDiff(stack, presence, resources, config, outputs);
    }

    /// <summary>Names in <paramref name="after"/> order, then those only in <paramref name="before"/>.</summary>
    private static IEnumerable<string> Union(IEnumerable<string>? before, IEnumerable<string>? after) =>
        (after ?? []).Concat(before ?? []).Distinct(StringComparer.Ordinal);

    private static class Path
    {
        public static string Key(string parent, string key)
        {
            var segment = PlainKey().IsMatch(key) ? key : $"[\"{key.Replace("\"", "\\\"", StringComparison.Ordinal)}\"]";
            return parent.Length == 0 || segment.StartsWith('[') ? parent + segment : $"{parent}.{segment}";
        }

        public static string Index(string parent, int index) => $"{parent}[{index}]";
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainKey();

    private sealed class Differ(IReadOnlySet<string> secrets)
    {
        public List<PropertyChange> Properties(Resource? before, Resource? after)
        {
            var changes = new List<PropertyChange>();
            Compare("type", before?.Type is { } oldType ? new Text(oldType) : null, after?.Type is { } newType ? new Text(newType) : null, changes, skipWhenOneSided: true);
            Compare("", before?.Properties, after?.Properties, changes);
            Compare("options", before is null ? null : ProgramEmitter.Options(before.Options), after is null ? null : ProgramEmitter.Options(after.Options), changes);
            return changes;
        }

        public string Describe(ConfigParam param) =>
            (param.Secret ? "secret " : "") + param.Type + (param.Default is { } value ? $", default {Render(value, false)}" : "");

        public void Compare(string path, Value? before, Value? after, List<PropertyChange> changes, bool skipWhenOneSided = false)
        {
            if (before is null && after is null || before is not null && after is not null && Same(before, after))
            {
                return;
            }

            if (skipWhenOneSided && (before is null || after is null))
            {
                return;
            }

            switch (before, after)
            {
                case (MapValue oldMap, MapValue newMap):
                    foreach (var key in Union(oldMap.Entries.Select(e => e.Key), newMap.Entries.Select(e => e.Key)))
                    {
                        Compare(Path.Key(path, key), oldMap[key], newMap[key], changes);
                    }

                    break;
                case (ListValue oldList, ListValue newList):
                    CompareLists(path, oldList.Items, newList.Items, changes);
                    break;
                case (null, _):
                    Flatten(path, after!, added: true, changes);
                    break;
                case (_, null):
                    Flatten(path, before, added: false, changes);
                    break;
                case (Text { Value: var oldText }, Text { Value: var newText }) when oldText.Contains('\n', StringComparison.Ordinal) || newText.Contains('\n', StringComparison.Ordinal):
                    changes.Add(new PropertyChange(path, null, null, Alignment.LineDiff(oldText, newText)));
                    break;
                default:
                    var (oldShown, newShown) = (Render(before, false), Render(after, false));
                    if (oldShown == newShown)
                    {
                        // Both masked: name the secret config keys so the reviewer sees which credential moved.
                        (oldShown, newShown) = (Render(before, true), Render(after, true));
                    }

                    changes.Add(new PropertyChange(path, oldShown, newShown));
                    break;
            }
        }

        private void CompareLists(string path, IReadOnlyList<Value> before, IReadOnlyList<Value> after, List<PropertyChange> changes)
        {
            var removed = new List<int>();
            var added = new List<int>();
            void Flush()
            {
                // Removed and added items side by side are one item changed in place.
                for (var k = 0; k < Math.Max(removed.Count, added.Count); k++)
                {
                    if (k < removed.Count && k < added.Count)
                    {
                        Compare(Path.Index(path, added[k]), before[removed[k]], after[added[k]], changes);
                    }
                    else if (k < removed.Count)
                    {
                        Flatten(Path.Index(path, removed[k]), before[removed[k]], added: false, changes);
                    }
                    else
                    {
                        Flatten(Path.Index(path, added[k]), after[added[k]], added: true, changes);
                    }
                }

                removed.Clear();
                added.Clear();
            }

            foreach (var step in Alignment.Align(before, after, Same))
            {
                if (step is { Before: not null, After: not null })
                {
                    Flush();
                }
                else if (step.Before is { } b)
                {
                    removed.Add(b);
                }
                else
                {
                    added.Add(step.After!.Value);
                }
            }

            Flush();
        }

        /// <summary>Every leaf of a value that exists on one side only, each as its own path.</summary>
        private void Flatten(string path, Value value, bool added, List<PropertyChange> changes)
        {
            switch (value)
            {
                case MapValue { Entries.Count: > 0 } map:
                    foreach (var (key, item) in map.Entries)
                    {
                        Flatten(Path.Key(path, key), item, added, changes);
                    }

                    break;
                case ListValue { Items.Count: > 0 } list:
                    for (var i = 0; i < list.Items.Count; i++)
                    {
                        Flatten(Path.Index(path, i), list.Items[i], added, changes);
                    }

                    break;
                case Text { Value: var text } when text.Contains('\n', StringComparison.Ordinal):
                    changes.Add(new PropertyChange(path, null, null, added ? Alignment.LineDiff("", text) : Alignment.LineDiff(text, "")));
                    break;
                default:
                    var shown = Render(value, false);
                    changes.Add(added ? new PropertyChange(path, null, shown) : new PropertyChange(path, shown, null));
                    break;
            }
        }

        private bool IsSecret(Value value) => value switch
        {
            Ref { Property: null } reference => secrets.Contains(reference.Name),
            Interpolation interpolation => interpolation.Parts.OfType<Ref>().Any(IsSecret),
            Invoke { Function: "fn::secret" } => true,
            _ => false,
        };

        /// <summary>A one-line display form; anything derived from secret config shows as [secret].</summary>
        public string Render(Value value, bool nameSecretKeys)
        {
            if (IsSecret(value))
            {
                var keys = value switch
                {
                    Ref reference => [reference.Name],
                    Interpolation interpolation => interpolation.Parts.OfType<Ref>().Where(IsSecret).Select(r => r.Name).ToList(),
                    _ => new List<string>(),
                };
                return nameSecretKeys && keys.Count > 0 ? $"[secret: {string.Join(", ", keys)}]" : Masked;
            }

            return value switch
            {
                Text text => Quote(text.Value),
                Number number => number.Value.ToString("R", CultureInfo.InvariantCulture),
                Flag flag => flag.Value ? "true" : "false",
                Ref reference => reference.ToString(),
                Interpolation interpolation => Quote(string.Concat(interpolation.Parts.Select(p => p is Ref r ? r.ToString() : (string)p))),
                Invoke invoke => $"{{{invoke.Function}: {Render(invoke.Argument, nameSecretKeys)}}}",
                ListValue list => $"[{string.Join(", ", list.Items.Select(i => Render(i, nameSecretKeys)))}]",
                MapValue map => $"{{{string.Join(", ", map.Entries.Select(e => $"{e.Key}: {Render(e.Value, nameSecretKeys)}"))}}}",
                _ => throw new InvalidOperationException($"unknown program value {value.GetType().Name}"),
            };
        }

        private static string Quote(string text)
        {
            var quoted = new StringBuilder("\"");
            foreach (var c in text)
            {
                quoted.Append(c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    '\t' => "\\t",
                    _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                    _ => c.ToString(),
                });
            }

            return quoted.Append('"').ToString();
        }
    }

    /// <summary>Structural equality; the records' own equality compares lists by reference.</summary>
    public static bool Same(Value a, Value b) => (a, b) switch
    {
        (ListValue x, ListValue y) => x.Items.Count == y.Items.Count && x.Items.Zip(y.Items).All(p => Same(p.First, p.Second)),
        (MapValue x, MapValue y) => x.Entries.Count == y.Entries.Count && x.Entries.All(e => y[e.Key] is { } other && Same(e.Value, other)),
        (Interpolation x, Interpolation y) => x.Parts.SequenceEqual(y.Parts),
        (Invoke x, Invoke y) => x.Function == y.Function && Same(x.Argument, y.Argument),
        _ => a.Equals(b),
    };
}
