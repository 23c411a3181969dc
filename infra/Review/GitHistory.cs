using HomeLab.Tools;
using HomeLab.Workspace;

namespace HomeLab.Review;

/// <summary>Reads stack files as they were at a commit. The only place the diff touches git.</summary>
internal sealed class GitHistory(string root, IToolRunner runner)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The branches the default base is taken from, in order: the local main, then the remote one CI fetches.</summary>
    private static readonly string[] MainBranches = ["main", "origin/main"];

    /// <summary>The commit <paramref name="reference"/> names, or a usage error that says how to fix the reference.</summary>
    public DiffBase Resolve(string reference)
    {
        var result = Git("rev-parse", "--verify", "--quiet", "--end-of-options", reference + "^{commit}");
        return result.Succeeded
            ? new DiffBase(reference, result.Output.Trim())
            : throw new UsageException($"'{reference}' is not a commit in this repository — pass --base with a branch, tag or commit (for a pull request: the target branch, fetched)");
    }

    /// <summary>The merge base of HEAD with main (or origin/main, as CI checkouts have it).</summary>
    public DiffBase DefaultBase()
    {
        foreach (var branch in MainBranches)
        {
            var result = Git("merge-base", "HEAD", branch);
            if (result.Succeeded)
            {
                return new DiffBase($"merge base with {branch}", result.Output.Trim());
            }
        }

        throw new UsageException("cannot find where this branch left main: neither 'main' nor 'origin/main' shares history with HEAD — pass --base REF (in CI, fetch the target branch with full history)");
    }

    /// <summary>Stack names at <paramref name="commit"/>: stacks/NAME.yaml, except Pulumi's own stacks/Pulumi.NAME.yaml.</summary>
    public IReadOnlySet<string> StackNames(DiffBase at)
    {
        var result = Git("ls-tree", "-z", "--name-only", at.Commit, "--", "stacks/");
        if (!result.Succeeded)
        {
            throw new UsageException($"cannot list stacks/ at {at.Ref}: {result.Error.Trim()}");
        }

        return result.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.StartsWith("stacks/", StringComparison.Ordinal) && p.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(p => p["stacks/".Length..^".yaml".Length])
            .Where(n => !n.StartsWith("Pulumi.", StringComparison.Ordinal) && !n.Contains('/', StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
    }

    public string Show(DiffBase at, string path)
    {
        var result = Git("show", $"{at.Commit}:./{path}");
        return result.Succeeded ? result.Output : throw new UsageException($"cannot read {path} at {at.Ref}: {result.Error.Trim()}");
    }

    private ToolResult Git(params string[] arguments)
    {
        try
        {
            return runner.Capture(new ToolCall("git", root, arguments), Timeout);
        }
        catch (ToolMissingException)
        {
            throw new UsageException("homelab diff needs git, which is not on PATH — install it (Debian/Ubuntu: apt-get install git)");
        }
    }
}
