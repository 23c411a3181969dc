using HomeLab.Tests.Support;

namespace HomeLab.Tests.Cli;

/// <summary>
/// A folder of links to some of this machine's programs, to be the whole PATH of a launcher run: what is not linked
/// (clang, dotnet) is absent for it, as on a machine that never installed it.
/// </summary>
internal sealed class ToolDirectory : IDisposable
{
    /// <summary>What the launcher script itself runs, besides dotnet and clang.</summary>
    public static readonly string[] Shell = ["sh", "find", "mkdir", "rmdir", "touch", "mv", "rm", "cat", "uname", "sleep"];

    private ToolDirectory(string path) => Path = path;

    public string Path { get; }

    public static ToolDirectory With(IEnumerable<string> names)
    {
        var directory = new ToolDirectory(Directory.CreateTempSubdirectory("homelab-path-").FullName);
        foreach (var name in names)
        {
            var target = ExternalTool.Find(name) ?? throw new InvalidOperationException($"'{name}' is not on PATH");
            File.CreateSymbolicLink(System.IO.Path.Combine(directory.Path, name), target);
        }

        return directory;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
