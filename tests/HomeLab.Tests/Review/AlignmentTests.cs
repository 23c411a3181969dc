using System.Globalization;
using System.Text.RegularExpressions;

using FsCheck;
using FsCheck.Fluent;

using HomeLab.Review;

namespace HomeLab.Tests.Review;

public partial class AlignmentTests
{
    [Fact]
    public void Equal_texts_have_no_hunks() => Alignment.LineDiff("a\nb\n", "a\nb\n").Should().BeEmpty();

    [Fact]
    public void A_changed_line_shows_with_two_lines_of_context_under_a_unified_header()
    {
        var before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        var after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";

        Alignment.LineDiff(before, after).Should().Equal("@@ -3,5 +3,5 @@", " 3", " 4", "-5", "+five", " 6", " 7");
    }

    [Fact]
    public void Far_apart_changes_make_separate_hunks_and_close_ones_merge()
    {
        var lines = Enumerable.Range(1, 20).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        var far = lines.Select(l => l is "2" or "18" ? l + "!" : l);
        var close = lines.Select(l => l is "5" or "9" ? l + "!" : l);

        Alignment.LineDiff(string.Join('\n', lines), string.Join('\n', far)).Count(l => l.StartsWith("@@", StringComparison.Ordinal)).Should().Be(2);
        Alignment.LineDiff(string.Join('\n', lines), string.Join('\n', close)).Count(l => l.StartsWith("@@", StringComparison.Ordinal)).Should().Be(1);
    }

    [Fact]
    public void Applying_the_hunks_to_the_old_text_gives_the_new_text()
    {
        var text = Gen.ListOf(Gen.Elements("a", "b", "c", "d", "")).Select(lines => string.Join('\n', lines));
        Prop.ForAll(Arb.From(Gen.Zip(text, text)), pair =>
        {
            var (before, after) = pair;
            return Apply(before, Alignment.LineDiff(before, after)) == after;
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>A minimal patch: copies unchanged lines, checks context and removed lines match, inserts added ones.</summary>
    private static string Apply(string before, IReadOnlyList<string> diff)
    {
        var old = before.Split('\n');
        var result = new List<string>();
        var next = 0;
        for (var i = 0; i < diff.Count; i++)
        {
            var header = Header().Match(diff[i]);
            header.Success.Should().BeTrue($"'{diff[i]}' is a hunk header");
            var (oldStart, oldCount, newCount) = (int.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(header.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(header.Groups[4].Value, CultureInfo.InvariantCulture));
            var firstOld = oldCount == 0 ? oldStart : oldStart - 1;
            result.AddRange(old[next..firstOld]);
            next = firstOld;
            var (seenOld, seenNew) = (0, 0);
            for (i++; i < diff.Count && !diff[i].StartsWith("@@", StringComparison.Ordinal); i++)
            {
                var (mark, line) = (diff[i][0], diff[i][1..]);
                if (mark != '+')
                {
                    old[next++].Should().Be(line);
                    seenOld++;
                }

                if (mark != '-')
                {
                    result.Add(line);
                    seenNew++;
                }
            }

            i--;
            (seenOld, seenNew).Should().Be((oldCount, newCount));
        }

        result.AddRange(old[next..]);
        return string.Join('\n', result);
    }

    [GeneratedRegex(@"^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$")]
    private static partial Regex Header();
}
