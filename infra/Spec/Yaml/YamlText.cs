namespace HomeLab.Spec.Yaml;

internal sealed record YamlText(string Text, bool Quoted, SourceMark At) : YamlValue(At)
{
    public override string KindName => "a scalar";
}
