namespace HomeLab.Program;

internal sealed record Resource(string Name, string Type, MapValue Properties, ResourceOptions Options)
{
    public Ref Output(string property) => new(Name, property);
}
