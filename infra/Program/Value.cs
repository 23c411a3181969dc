namespace HomeLab.Program;

/// <summary>A value in a Pulumi YAML program: literal, list, map, or an expression over other resources and config.</summary>
internal abstract record Value
{
    public static implicit operator Value(string text) => new Text(text);

    public static implicit operator Value(long number) => new Number(number);

    public static implicit operator Value(bool flag) => new Flag(flag);

    /// <summary>A literal for an optional setting; null leaves the property out.</summary>
    public static Value? Maybe(string? text) => text is null ? null : new Text(text);
}
