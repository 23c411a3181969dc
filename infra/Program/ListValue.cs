namespace HomeLab.Program;

internal sealed record ListValue(IReadOnlyList<Value> Items) : Value
{
    public ListValue(params Value[] items)
        : this((IReadOnlyList<Value>)items)
    {
    }
}
