namespace HomeLab.Spec;

/// <summary>Nearest-name suggestions for typos.</summary>
internal static class Suggest
{
    public static string? Nearest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(2, typed.Length / 3) ? best : null;
    }

    /// <summary>
    /// The fix for a name that names nothing declared: the nearest declared name, else all of them, else (when none
    /// is declared) where to declare one — never "use one of:" with nothing after it.
    /// </summary>
    public static string Fix(string typed, IReadOnlyCollection<string> declared, string section) =>
        Nearest(typed, declared) is { } near ? $"did you mean '{near}'?"
        : declared.Count == 0 ? $"declare it under '{section}:' first (none is declared yet)"
        : $"declare it under '{section}:' or use one of: {string.Join(", ", declared)}";

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
