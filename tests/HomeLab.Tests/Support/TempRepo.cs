using HomeLab.Tools;

namespace HomeLab.Tests.Support;

/// <summary>A throw-away git repository holding a copy of the project's Pulumi.yaml and example stacks.</summary>
internal sealed class TempRepo : IDisposable
{
    private TempRepo(string root) => Root = root;

    public string Root { get; }

    /// <summary>A repository on branch main whose first commit holds Pulumi.yaml and stacks/ as the project has them.</summary>
    public static TempRepo WithExamples()
    {
        var repo = new TempRepo(Directory.CreateTempSubdirectory("homelab-repo-").FullName);
        File.Copy(Path.Combine(Repo.Root, "Pulumi.yaml"), Path.Combine(repo.Root, "Pulumi.yaml"));
        Directory.CreateDirectory(Path.Combine(repo.Root, "stacks"));
        foreach (var file in Directory.EnumerateFiles(Repo.Stacks))
        {
            File.Copy(file, Path.Combine(repo.Root, "stacks", Path.GetFileName(file)));
        }

        repo.Git("init", "--quiet", "--initial-branch=main");
        repo.Commit("examples");
        return repo;
    }

    public string Read(string path) => File.ReadAllText(Path.Combine(Root, path));

    public void Write(string path, string text) => File.WriteAllText(Path.Combine(Root, path), text);

    /// <summary>Replaces text that must be there, so a test cannot pass because an example changed under it.</summary>
    public void Edit(string path, string find, string replace)
    {
        var text = Read(path);
        text.Should().Contain(find, $"the test edits {path}");
        Write(path, text.Replace(find, replace, StringComparison.Ordinal));
    }

    public void Delete(string path) => File.Delete(Path.Combine(Root, path));

    public void Commit(string message)
    {
        Git("add", "--all");
        Git("-c", "user.name=HomeLab Tests", "-c", "user.email=tests@homelab.invalid", "-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "-m", message);
    }

    public string Git(params string[] arguments)
    {
        var result = SystemToolRunner.Instance.Capture(new ToolCall("git", Root, arguments), TimeSpan.FromSeconds(30));
        result.ExitCode.Should().Be(0, $"git {string.Join(' ', arguments)} failed: {result.Error}");
        return result.Output;
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
