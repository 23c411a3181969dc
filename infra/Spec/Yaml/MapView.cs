namespace HomeLab.Spec.Yaml;

/// <summary>The entries of one mapping, looked up by key.</summary>
internal sealed class MapView(YamlMap map)
{
    public SourceMark At => map.At;

    public IReadOnlyList<YamlEntry> Entries => map.Entries;

    public YamlValue? this[string key] => map.Entries.FirstOrDefault(e => e.Key.Text == key)?.Value;

    public bool Has(string key) => this[key] is not null;

    public SourceMark KeyAt(string key) => map.Entries.FirstOrDefault(e => e.Key.Text == key)?.Key.At ?? map.At;
}
