namespace HomeLab.Program;

/// <summary>A mapping; keys keep the order they were added in, so output is deterministic.</summary>
internal sealed record MapValue(IReadOnlyList<KeyValuePair<string, Value>> Entries) : Value
{
    public MapValue(params (string Key, Value? Value)[] entries)
        : this(Present(entries))
    {
    }

    public Value? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;

    /// <summary>A loop, not LINQ: LINQ over tuples is code ReadyToRun cannot precompile, paid on every compiler start.</summary>
    private static List<KeyValuePair<string, Value>> Present((string Key, Value? Value)[] entries)
    {
        var present = new List<KeyValuePair<string, Value>>(entries.Length);
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                present.Add(new(key, value));
            }
        }

        return present;
    }
}
