namespace HomeLab.Program;

/// <summary>
/// A string built from literal parts and references such as <c>${net.name}</c>; only <see cref="Ref"/> parts
/// become expressions.
/// </summary>
internal sealed record Interpolation(IReadOnlyList<object> Parts) : Value
{
    public Interpolation(params object[] parts)
        : this((IReadOnlyList<object>)parts)
    {
    }
}
