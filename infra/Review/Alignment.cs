namespace HomeLab.Review;

/// <summary>Longest-common-subsequence alignment of two short sequences (list items, lines of a Caddyfile).</summary>
internal static class Alignment
{
    public static IReadOnlyList<Step> Align<T>(IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, T, bool> same)
    {
        // common[i, j]: length of the longest common subsequence of before[i..] and after[j..].
        var common = new int[before.Count + 1, after.Count + 1];
        for (var i = before.Count - 1; i >= 0; i--)
        {
            for (var j = after.Count - 1; j >= 0; j--)
            {
                common[i, j] = same(before[i], after[j]) ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var steps = new List<Step>();
        int b = 0, a = 0;
        while (b < before.Count || a < after.Count)
        {
            if (b < before.Count && a < after.Count && same(before[b], after[a]))
            {
                steps.Add(new Step(b++, a++));
            }
            else if (b < before.Count && (a == after.Count || common[b + 1, a] >= common[b, a + 1]))
            {
                // Removals before additions, as diff -u shows them.
                steps.Add(new Step(b++, null));
            }
            else
            {
                steps.Add(new Step(null, a++));
            }
        }

        return steps;
    }

    /// <summary>
    /// A compact unified diff of two texts: only changed lines with <paramref name="context"/> lines around them,
    /// under <c>@@ -l,n +l,n @@</c> headers.
    /// </summary>
    public static IReadOnlyList<string> LineDiff(string before, string after, int context = 2)
    {
        var old = before.Split('\n');
        var now = after.Split('\n');
        var steps = Align(old, now, string.Equals);
        var changed = steps.Select((s, i) => (s, i)).Where(x => x.s.Before is null || x.s.After is null).Select(x => x.i).ToList();
        var lines = new List<string>();
        var k = 0;
        while (k < changed.Count)
        {
            var start = Math.Max(0, changed[k] - context);
            var end = changed[k];
            while (k < changed.Count && changed[k] <= end + (2 * context) + 1)
            {
                end = changed[k++];
            }

            end = Math.Min(steps.Count - 1, end + context);
            var hunk = steps.Skip(start).Take(end - start + 1).ToList();
            var oldStart = (hunk.FirstOrDefault(s => s.Before is not null).Before ?? OldLineBefore(steps, start)) + 1;
            var newStart = (hunk.FirstOrDefault(s => s.After is not null).After ?? NewLineBefore(steps, start)) + 1;
            lines.Add($"@@ -{oldStart},{hunk.Count(s => s.Before is not null)} +{newStart},{hunk.Count(s => s.After is not null)} @@");
            lines.AddRange(hunk.Select(s => s switch
            {
                { Before: { } o, After: not null } => " " + old[o],
                { Before: { } o } => "-" + old[o],
                _ => "+" + now[s.After!.Value],
            }));
        }

        return lines;
    }

    // An empty side of a hunk is reported at the line before it, as diff -u does.
    private static int OldLineBefore(IReadOnlyList<Step> steps, int index) => steps.Take(index).LastOrDefault(s => s.Before is not null).Before ?? -1;

    private static int NewLineBefore(IReadOnlyList<Step> steps, int index) => steps.Take(index).LastOrDefault(s => s.After is not null).After ?? -1;
}
