namespace HomeLab.Spec.Yaml;

/// <summary>A YAML node with the position it was written at; the typed reader works on these.</summary>
internal abstract record YamlValue(SourceMark At)
{
    public abstract string KindName { get; }
}
