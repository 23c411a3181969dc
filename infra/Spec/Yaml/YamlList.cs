namespace HomeLab.Spec.Yaml;

internal sealed record YamlList(IReadOnlyList<YamlValue> Items, SourceMark At) : YamlValue(At)
{
    public override string KindName => "a list";
}
