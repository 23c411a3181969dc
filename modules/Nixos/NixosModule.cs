using System.Text;

namespace HomeLab.Modules.Nixos;

/// <summary>The text of nix/homelab.nix. The CLI reads it from the workspace; this copy was built into the binary from the same file.</summary>
internal static class NixosModule
{
    public const string FileName = "homelab.nix";

    /// <summary>The values the module reads, written by the compiler and delivered beside it.</summary>
    public const string ValuesFileName = "values.json";

    public static string Bundled { get; } = ReadBundled();

    public static string Load(string repositoryRoot) => File.ReadAllText(Path.Combine(repositoryRoot, "nix", FileName));

    private static string ReadBundled()
    {
        using var stream = typeof(NixosModule).Assembly.GetManifestResourceStream(FileName)
            ?? throw new InvalidOperationException($"{FileName} is not embedded in this build of homelab");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
