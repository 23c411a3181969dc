namespace HomeLab.Program;

/// <summary>A mapping; keys keep the order they were added in, so output is deterministic.</summary>
internal sealed record MapValue(IReadOnlyList<KeyValuePair<string, Value>> Entries) : Value
{
    public MapValue(params (string Key, Value? Value)[] entries)
        : this(entries.Where(e => e.Value is not null).Select(e => new KeyValuePair<string, Value>(e.Key, e.Value!)).ToList())
    {
    }

    public Value? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;
}
