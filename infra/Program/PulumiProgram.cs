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

/// <summary>A literal string. The emitter escapes any '${' in it, so user text never becomes an expression.</summary>
internal sealed record Text(string Value) : Value;

internal sealed record Number(double Value) : Value;

internal sealed record Flag(bool Value) : Value;

internal sealed record ListValue(IReadOnlyList<Value> Items) : Value
{
    public ListValue(params Value[] items)
        : this((IReadOnlyList<Value>)items)
    {
    }
}

/// <summary>A mapping; keys keep the order they were added in, so output is deterministic.</summary>
internal sealed record MapValue(IReadOnlyList<KeyValuePair<string, Value>> Entries) : Value
{
    public MapValue(params (string Key, Value? Value)[] entries)
        : this(entries.Where(e => e.Value is not null).Select(e => new KeyValuePair<string, Value>(e.Key, e.Value!)).ToList())
    {
    }

    public Value? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;
}

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

/// <summary>A reference to a config key, a resource, or one of a resource's output properties.</summary>
internal sealed record Ref(string Name, string? Property = null) : Value
{
    public override string ToString() => Property is null ? $"${{{Name}}}" : $"${{{Name}.{Property}}}";
}

/// <summary>A Pulumi YAML built-in function call such as fn::secret.</summary>
internal sealed record Invoke(string Function, Value Argument) : Value;

internal sealed record ResourceOptions(
    Ref? Provider = null,
    IReadOnlyList<Ref>? DependsOn = null,
    string? Version = null,
    IReadOnlyList<string>? ReplaceOnChanges = null,
    bool DeleteBeforeReplace = false,
    IReadOnlyList<string>? IgnoreChanges = null,
    IReadOnlyList<string>? AdditionalSecretOutputs = null);

internal sealed record Resource(string Name, string Type, MapValue Properties, ResourceOptions Options)
{
    public Ref Output(string property) => new(Name, property);
}

internal sealed record ConfigParam(string Name, string Type, bool Secret, Value? Default = null);

internal sealed record Output(string Name, Value Value);

/// <summary>A whole Pulumi YAML program, as the compiler prints it.</summary>
/// <param name="FromStack">False for the plugin manifest, which no stack file stands behind.</param>
internal sealed record PulumiProgram(
    string Name,
    string Description,
    IReadOnlyList<ConfigParam> Config,
    IReadOnlyList<Resource> Resources,
    IReadOnlyList<Output> Outputs,
    bool FromStack = true);
