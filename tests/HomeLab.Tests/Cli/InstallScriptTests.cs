using HomeLab.Tests.Support;

namespace HomeLab.Tests.Cli;

/// <summary>
/// The README's setup step, <c>sh infra/Launch/install.sh</c>, in a fresh copy of the project: afterwards the
/// command every hint names, <c>homelab</c>, is on the PATH and <c>homelab plan local</c> works (building on first use).
/// </summary>
public class InstallScriptTests
{
    [Fact]
    public void After_the_install_step_homelab_plan_local_works_from_the_path()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        readme[..readme.IndexOf("\n## Commands\n", StringComparison.Ordinal)].Should().Contain("sh infra/Launch/install.sh",
            "the quick start names the install step this test runs");
        using var copy = ProjectCopy.Create();
        var bin = Path.Combine(copy.Root, "home", ".local", "bin");
        var path = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";

        var install = ProcessRunner.Run("sh", ["infra/Launch/install.sh"], copy.Root, new Dictionary<string, string?> { ["HOME"] = Path.Combine(copy.Root, "home") });

        install.ExitCode.Should().Be(0, install.Stderr);
        install.Stdout.Should().Contain($"installed {bin}/homelab").And.Contain("is not on your PATH").And.Contain($"echo 'export PATH=\"{bin}:$PATH\"' >> ~/.profile");
        // Through sh, so the child's PATH finds the command, as an operator's shell does.
        // This test is about the command on the PATH, not the build form: the quicker ReadyToRun build keeps the
        // fresh copy's first build well inside the timeout (a native build of a fresh copy takes minutes).
        var plan = ProcessRunner.Run("sh", ["-c", "homelab plan local"], Path.Combine(copy.Root, "stacks"),
            new Dictionary<string, string?> { ["PATH"] = path, ["PULUMI_ROOT_DIRECTORY"] = null, ["HOMELAB_BUILD"] = "readytorun" }, TimeSpan.FromMinutes(20));
        plan.ExitCode.Should().Be(0, plan.Stderr);
        plan.Stdout.Should().Contain("local").And.Contain("ollama");

        var again = ProcessRunner.Run("sh", ["infra/Launch/install.sh"], copy.Root, new Dictionary<string, string?> { ["HOME"] = Path.Combine(copy.Root, "home"), ["PATH"] = path });
        again.ExitCode.Should().Be(0, again.Stderr);
        again.Stdout.Should().NotContain("not on your PATH", "running it again is harmless and quiet about a PATH that has it");
    }
}
