namespace HomeLab.Contracts;

/// <summary>
/// Where the upstream reference data lives (provider schemas, Ollama's OpenAPI file, real nixpkgs): the folder named
/// by HOMELAB_REFERENCE, else <c>../shared/reference</c> beside the repository root. Never a search up the parent
/// folders, so a stray <c>shared/</c> higher up is not picked up.
/// </summary>
public static class ReferenceLocation
{
    public const string Variable = "HOMELAB_REFERENCE";

    /// <summary>The folder that should hold the reference data, whether or not it exists.</summary>
    public static string Expected(string repositoryRoot) =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } named
            ? Path.GetFullPath(named)
            : Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "reference"));

    /// <summary>The reference folder, or null when it is absent.</summary>
    public static string? Find(string repositoryRoot) => Expected(repositoryRoot) is var folder && Directory.Exists(folder) ? folder : null;
}
