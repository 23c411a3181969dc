namespace HomeLab.Program;

/// <summary>A reference to a config key, a resource, or one of a resource's output properties.</summary>
internal sealed record Ref(string Name, string? Property = null) : Value
{
    public override string ToString() => Property is null ? $"${{{Name}}}" : $"${{{Name}.{Property}}}";
}
