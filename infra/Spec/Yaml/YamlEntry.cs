namespace HomeLab.Spec.Yaml;

internal sealed record YamlEntry(YamlText Key, YamlValue Value);
