using HomeLab.Spec.Yaml;

namespace HomeLab.Spec;

/// <summary>
/// Where each setting of a stack file was written, found by key path (e.g. instances → ollama → resources → cpus),
/// so checks that run after loading (the host preflight) can point at the line to change.
/// </summary>
internal sealed class SettingPositions
{
    private readonly YamlValue? root;

    private SettingPositions(string file, YamlValue? root)
    {
        File = file;
        this.root = root;
    }

    public string File { get; }

    /// <summary>Reads <paramref name="text"/> (a stack file that has loaded without problems) for positions only.</summary>
    public static SettingPositions Of(string text, string file) => new(file, YamlTree.Parse(text, file, []));

    /// <summary>
    /// The position of the deepest key on <paramref name="path"/> that the file writes: the setting itself, or the
    /// section where it would go when it is left to its default.
    /// </summary>
    public SourceMark At(params string[] path)
    {
        var at = root?.At ?? SourceMark.Start;
        var node = root;
        foreach (var key in path)
        {
            if (node is not YamlMap map || map.Entries.FirstOrDefault(e => e.Key.Text == key) is not { } entry)
            {
                break;
            }

            at = entry.Key.At;
            node = entry.Value;
        }

        return at;
    }

    public Diagnostic Problem(string[] path, string problem, string fix) => new(File, At(path), problem, fix);
}
