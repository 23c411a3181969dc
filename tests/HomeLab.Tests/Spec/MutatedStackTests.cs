using System.Diagnostics;
using System.Text.RegularExpressions;

using FsCheck;
using FsCheck.Fluent;

using HomeLab.Cli;
using HomeLab.Tests.ProgramValidation;
using HomeLab.Tests.Support;

using Xunit.Abstractions;

namespace HomeLab.Tests.Spec;

/// <summary>
/// No stack file crashes HomeLab. Thousands of damaged copies of the example stacks (<see cref="StackMutations"/>)
/// go through 'validate' and 'compile' in-process, through the entry point the executable runs
/// (<see cref="EntryPoint.Main"/>), and a few through the real executable. Each must end with exit 0 (the damage
/// happened to leave a valid stack) or exit 2 with positioned diagnostics, and never print a stack trace. The
/// cases come from a fixed seed, so a failure names a case that fails the same way on every run.
/// </summary>
[Collection(CompileCommandEnvironment.Name)]
public sealed partial class MutatedStackTests(ITestOutputHelper output) : IDisposable
{
    private const ulong Seed = 20261206;
    private const int Cases = 2500;
    private const string Stack = "fuzz";

    private readonly string workspace = CreateWorkspace();

    public void Dispose() => Directory.Delete(workspace, recursive: true);

    [Fact]
    public void Validate_and_compile_end_with_exit_0_or_2_and_no_stack_trace_on_every_damaged_stack()
    {
        var clock = Stopwatch.StartNew();
        var exits = new Dictionary<int, int>();
        foreach (var (index, mutated) in Samples(Cases).Index())
        {
            File.WriteAllBytes(Path.Combine(workspace, "stacks", Stack + ".yaml"), mutated.Bytes);
            foreach (var command in new[] { "validate", "compile" })
            {
                var (exit, stdout, stderr) = RunInProcess(command, Stack);
                Check(exit, stdout, stderr, $"case {index} (seed {Seed}): {mutated}, '{command}'", command);
                exits[exit] = exits.GetValueOrDefault(exit) + 1;
            }
        }

        output.WriteLine($"{Cases} damaged stacks × validate and compile in {clock.Elapsed.TotalSeconds:0.0} s; exit codes: {string.Join(", ", exits.OrderBy(e => e.Key).Select(e => $"{e.Key} × {e.Value}"))}");
        exits.GetValueOrDefault(2).Should().BeGreaterThan(Cases, "most damage must be found, or the mutations do not reach the loader");
    }

    [Fact]
    public void Validate_with_no_argument_reports_every_stack_after_one_that_cannot_be_parsed()
    {
        File.WriteAllText(Path.Combine(workspace, "stacks", "a-broken.yaml"), "hosts:\n  box:\n    kind: [docker\n");
        File.WriteAllText(Path.Combine(workspace, "stacks", "b-huge.yaml"), File.ReadAllText(Path.Combine(Repo.Stacks, "local.yaml"))
            .Replace("memory: 6GiB", "memory: 99999999999999999999GiB", StringComparison.Ordinal));

        var (exit, _, stderr) = RunInProcess("validate");

        exit.Should().Be(2);
        stderr.Should().Contain("stacks/a-broken.yaml:3:11: YAML syntax error: the '[' here is never closed").And.Contain("stacks/b-huge.yaml:").And.Contain("out of range")
            .And.NotContain("   at ").And.NotContain("Exception");
        foreach (var example in Repo.ExampleStacks())
        {
            stderr.Should().Contain($"stacks/{example}.yaml: ok", "the stacks after a broken one are still checked");
        }
    }

    [Fact]
    public void The_executable_reports_damaged_stacks_with_exit_2_and_no_stack_trace()
    {
        // The crashes issue 21 reported, in the example stack where they were found, then seeded damage.
        var local = File.ReadAllText(Path.Combine(Repo.Stacks, "local.yaml"));
        var known = new[] { ("kind: docker", "kind: [docker"), ("kind: docker", "kind: {docker"), ("memory: 6GiB", "memory: 99999999999999999999GiB") }
            .Select(edit => local.Contains(edit.Item1, StringComparison.Ordinal) ? local.Replace(edit.Item1, edit.Item2, StringComparison.Ordinal) : throw new InvalidOperationException($"local.yaml has no '{edit.Item1}'"));
        var samples = known.Select(text => (Name: "known", Bytes: System.Text.Encoding.UTF8.GetBytes(text)))
            .Concat(Samples(6).Select(m => (Name: m.ToString(), m.Bytes)));
        foreach (var (name, bytes) in samples)
        {
            File.WriteAllBytes(Path.Combine(workspace, "stacks", Stack + ".yaml"), bytes);
            foreach (var command in new[] { "validate", "compile" })
            {
                var result = ProcessRunner.Homelab(workspace, null, command, Stack);
                Check(result.ExitCode, result.Stdout, result.Stderr, $"{name}, '{command}' run as a process", command);
            }
        }
    }

    private static DamagedFile[] Samples(int count)
    {
        var sources = Repo.ExampleStacks().ToDictionary(name => name, name => File.ReadAllText(Path.Combine(Repo.Stacks, name + ".yaml")));
        return StackMutations.Of(sources).Sample(count, new Rnd(Seed), 30);
    }

    private static void Check(int exit, string stdout, string stderr, string because, string command)
    {
        exit.Should().BeOneOf([0, 2], "{0} must not fail at run time; it printed:\n{1}", because, stderr);
        stderr.Should().NotContain("   at ", because).And.NotContain("Exception", because).And.NotContain("internal error", because);
        if (exit == 2)
        {
            Position().IsMatch(stderr).Should().BeTrue("{0}: bad input is reported at its file:line:column, but it printed:\n{1}", because, stderr);
        }
        else if (command == "compile")
        {
            stdout.Should().Contain("\nresources:", because);
        }
    }

    private (int Exit, string Stdout, string Stderr) RunInProcess(params string[] arguments)
    {
        var saved = Environment.GetEnvironmentVariable("PULUMI_ROOT_DIRECTORY");
        var savedConfig = Environment.GetEnvironmentVariable("PULUMI_CONFIG");
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var capturedOut = new StringWriter();
        using var capturedErr = new StringWriter();
        try
        {
            Environment.SetEnvironmentVariable("PULUMI_ROOT_DIRECTORY", workspace);
            Environment.SetEnvironmentVariable("PULUMI_CONFIG", null);
            Console.SetOut(capturedOut);
            Console.SetError(capturedErr);
            var exit = EntryPoint.Main(arguments);
            return (exit, capturedOut.ToString(), capturedErr.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            Environment.SetEnvironmentVariable("PULUMI_ROOT_DIRECTORY", saved);
            Environment.SetEnvironmentVariable("PULUMI_CONFIG", savedConfig);
        }
    }

    /// <summary>A project with the example stacks and the NixOS module the compiler embeds in NixOS programs.</summary>
    private static string CreateWorkspace()
    {
        var root = Directory.CreateTempSubdirectory("homelab-fuzz-").FullName;
        File.Copy(Path.Combine(Repo.Root, "Pulumi.yaml"), Path.Combine(root, "Pulumi.yaml"));
        foreach (var folder in new[] { "stacks", "nix" })
        {
            Directory.CreateDirectory(Path.Combine(root, folder));
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Root, folder)))
            {
                File.Copy(file, Path.Combine(root, folder, Path.GetFileName(file)));
            }
        }

        return root;
    }

    [GeneratedRegex(@"^stacks/[a-z0-9-]+\.yaml:\d+:\d+: ", RegexOptions.Multiline)]
    private static partial Regex Position();
}
