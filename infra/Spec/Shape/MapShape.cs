namespace HomeLab.Spec.Shape;

/// <summary>A mapping with fixed keys; any other key is a mistake.</summary>
internal sealed record MapShape(string Description, IReadOnlyList<Field> Fields) : ValueShape(Description)
{
    public string[] Keys { get; } = Fields.Select(f => f.Key).ToArray();
}
