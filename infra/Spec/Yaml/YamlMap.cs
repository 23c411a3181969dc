namespace HomeLab.Spec.Yaml;

internal sealed record YamlMap(IReadOnlyList<YamlEntry> Entries, SourceMark At) : YamlValue(At)
{
    public override string KindName => "a mapping";
}
