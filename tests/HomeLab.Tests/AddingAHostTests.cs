using System.Text.RegularExpressions;

using HomeLab.Tests.Cli;
using HomeLab.Tests.Support;

namespace HomeLab.Tests;

/// <summary>
/// The README's "Adding a host and a model", followed literally on a copy of the project's stacks/local.yaml: each YAML block goes
/// where its step says, then the commands of step 4 that need no remote machine run as the README shows them.
/// </summary>
public sealed partial class AddingAHostTests : IDisposable
{
    private readonly ProjectCopy repo = ProjectCopy.Create();

    public void Dispose() => repo.Dispose();

    [Fact]
    public void The_readme_steps_give_a_stack_that_validates_and_plans_with_the_exposure_warning()
    {
        var section = Section();
        var blocks = YamlBlocks().Matches(section).Select(Dedent).ToList();
        blocks.Should().HaveCount(3, "the section adds a host, an instance and a route");
        section.Should().Contain("Under `hosts:`").And.Contain("Under `instances:`").And.Contain("Under `proxy:` → `routes:`");

        repo.Edit("stacks/local.yaml", "\nhosts:\n", "\nhosts:\n" + blocks[0]);
        repo.Edit("stacks/local.yaml", "\ninstances:\n", "\ninstances:\n" + blocks[1]);
        repo.Edit("stacks/local.yaml", "\n  routes:\n", "\n  routes:\n" + blocks[2]);

        foreach (var command in Commands(section).Where(c => c is "validate local" or "plan local"))
        {
            var result = ProcessRunner.Homelab(repo.Root, null, command.Split(' '));

            result.ExitCode.Should().Be(0, $"'homelab {command}' after the README's steps must succeed:\n{result.Stderr}");
            result.Stderr.Should().MatchRegex(@"stacks/local\.yaml:\d+:\d+: warning: instance 'ollama-box2' publishes Ollama on 192\.168\.1\.20:11434 without credentials: every machine that can reach 192\.168\.1\.20:11434 can pull, delete and run models",
                $"'homelab {command}' names who can reach the published port unauthenticated");
        }

        Commands(section).Should().Contain(["validate local", "plan local", "check local", "up local"]);
        repo.Edit("stacks/local.yaml", "bind: 192.168.1.20 }", "bind: 192.168.1.20, unauthenticated: true }");
        var acknowledged = ProcessRunner.Homelab(repo.Root, null, "validate", "local");
        acknowledged.ExitCode.Should().Be(0, acknowledged.Stderr);
        acknowledged.Stderr.Should().NotContain("warning", "'unauthenticated: true', as the README says, acknowledges the open port");
    }

    private static string Section()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var start = readme.IndexOf("\n## Adding a host and a model\n", StringComparison.Ordinal);
        start.Should().BePositive("the README has the section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return readme[start..end];
    }

    /// <summary>The homelab commands of the section's shell block, without the 'homelab ' and the comments.</summary>
    private static List<string> Commands(string section) =>
        ShellLines().Matches(section).Select(m => m.Groups["command"].Value.Trim()).ToList();

    /// <summary>A block's lines without the indentation of its fence, which sits inside a list item.</summary>
    private static string Dedent(Match block)
    {
        var indent = block.Groups["indent"].Value.Length;
        return string.Concat(block.Groups["yaml"].Value.Split('\n').Where(l => l.Length > 0).Select(l => l[Math.Min(indent, l.Length - l.TrimStart().Length)..] + "\n"));
    }

    [GeneratedRegex(@"^(?<indent> *)```yaml\n(?<yaml>.*?)^ *```", RegexOptions.Singleline | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex YamlBlocks();

    [GeneratedRegex(@"^ *homelab (?<command>[a-z -]+?)\s*(#.*)?$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ShellLines();
}
