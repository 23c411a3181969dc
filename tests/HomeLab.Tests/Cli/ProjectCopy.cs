using HomeLab.Tests.Support;

namespace HomeLab.Tests.Cli;

/// <summary>
/// A copy of what a fresh clone holds for building and running HomeLab (sources, project files, Pulumi.yaml, stacks),
/// with no build output, so a test can break or change the build without touching the repository under test.
/// </summary>
internal sealed class ProjectCopy : IDisposable
{
    private static readonly string[] Files = ["HomeLab.csproj", "Directory.Build.props", ".editorconfig", "Pulumi.yaml"];
    private static readonly string[] Folders = ["infra", "modules", "nix", "stacks"];

    private ProjectCopy(string root) => Root = root;

    public string Root { get; }

    public static ProjectCopy Create()
    {
        var copy = new ProjectCopy(Directory.CreateTempSubdirectory("homelab-build-").FullName);
        foreach (var file in Files)
        {
            File.Copy(Path.Combine(Repo.Root, file), Path.Combine(copy.Root, file));
        }

        foreach (var folder in Folders)
        {
            foreach (var source in Directory.EnumerateFiles(Path.Combine(Repo.Root, folder), "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy.Root, Path.GetRelativePath(Repo.Root, source));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target);
            }
        }

        return copy;
    }

    public void Write(string path, string text)
    {
        var file = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
    }

    /// <summary>Replaces text that must be there, so the test cannot pass because the file changed under it.</summary>
    public void Edit(string path, string find, string replace)
    {
        var text = File.ReadAllText(Path.Combine(Root, path));
        text.Should().Contain(find, $"the test edits {path}");
        Write(path, text.Replace(find, replace, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
