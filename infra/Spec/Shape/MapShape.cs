namespace HomeLab.Spec.Shape;

/// <summary>A mapping with fixed keys; any other key is a mistake.</summary>
internal sealed record MapShape(string Description, IReadOnlyList<Field> Fields) : ValueShape(Description)
{
    public string[] Keys { get; } = Fields.Select(f => f.Key).ToArray();

    /// <summary>The default the shape declares for <paramref name="key"/>, so readers and the schema share one value.</summary>
    public T Default<T>(string key) => (T)Field(key).Default!;

    /// <summary>The whole-number range the shape allows for <paramref name="key"/>.</summary>
    public IntShape Ints(string key) => (IntShape)Field(key).Shape;

    /// <summary>The number range the shape allows for <paramref name="key"/>.</summary>
    public NumberShape Numbers(string key) => (NumberShape)Field(key).Shape;

    /// <summary>The fixed words the shape allows for <paramref name="key"/>.</summary>
    public string[] Choices(string key) => [.. ((TextShape)Field(key).Shape).Choices!];

    private Field Field(string key) => Fields.Single(f => f.Key == key);
}
