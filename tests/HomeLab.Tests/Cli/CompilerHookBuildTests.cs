using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Tests.Support;

using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.Cli;

/// <summary>
/// The compiler hook in a fresh copy of the project, run as pulumi-yaml's LoadFromCompiler runs it (pkg/pulumiyaml/run.go:
/// the command line split by shlex, executed without a shell, stdout parsed as the program, stderr shown only when
/// the command fails). Whatever the build says must stay off stdout. The launcher builds the native binary where clang
/// is installed and the ReadyToRun build elsewhere; these tests pick one with HOMELAB_BUILD, or hide clang from PATH.
/// </summary>
public class CompilerHookBuildTests
{
    private static readonly Dictionary<string, string?> PulumiEnvironment = new()
    {
        ["PULUMI_STACK"] = "local",
        ["PULUMI_PROJECT"] = "homelab",
        ["PULUMI_CONFIG"] = """{"homelab:localToken":"[secret]"}""",
    };

    [Fact]
    public void Pulumi_yaml_starts_the_compiler_through_the_launcher_and_not_through_dotnet_run()
    {
        File.ReadAllText(Path.Combine(Repo.Root, "Pulumi.yaml")).Should().Contain($"compiler: {Launcher.CommandLine("compile")}\n");
    }

    [Theory]
    [InlineData(LaunchedBuild.ReadyToRun)]
    [NativeBuildData]
    public void A_failed_build_prints_nothing_on_stdout_names_the_error_on_stderr_and_exits_non_zero(string build)
    {
        using var copy = ProjectCopy.Create();
        copy.Write("infra/BrokenOnPurpose.cs", "namespace HomeLab;\n\ninternal static class BrokenOnPurpose\n{\n    public static int Value => ;\n}\n");

        var result = RunHook(copy, new() { [LaunchedBuild.Variable] = build });

        result.ExitCode.Should().NotBe(0);
        result.Stdout.Should().BeEmpty("pulumi-yaml would parse anything on stdout as the program");
        result.Stderr.Should().Contain("BrokenOnPurpose.cs").And.Contain("error CS").And.Contain("the build failed");
    }

    /// <summary>
    /// A machine without clang: the launcher falls back to the ReadyToRun build and says why, once. TreatWarningsAsErrors
    /// turns every compiler warning into an error, so the warnings a build still prints are MSBuild's own (a task or
    /// target warning, such as a package or SDK notice): one is added to the project here. (The native build's output
    /// takes the same path to stderr; it is built once per test run, in the repository: <see cref="LaunchedBuild"/>.)
    /// </summary>
    [Fact]
    public void Without_clang_the_ReadyToRun_build_is_made_saying_why_its_warnings_go_to_stderr_and_the_next_call_reuses_it()
    {
        using var copy = ProjectCopy.Create();
        copy.Edit("HomeLab.csproj", "</Project>",
            "  <Target Name=\"WarnOnPurpose\" BeforeTargets=\"CoreCompile\">\n    <Warning Code=\"HLTEST1\" Text=\"a build warning on purpose\" />\n  </Target>\n</Project>");
        var expected = ProgramEmitter.Emit(Compiler.Compile(Stacks.Load("local")));
        using var path = ToolDirectory.With([.. ToolDirectory.Shell, "dotnet"]);
        var withoutClang = new Dictionary<string, string?> { ["PATH"] = path.Path, [LaunchedBuild.Variable] = null };
        // The lock of a build that was killed: its holder is gone.
        var gone = ProcessRunner.Run("sh", ["-c", "echo $$"], copy.Root).Stdout.Trim();
        copy.Write("bin/homelab-launch.lock/pid", gone + "\n");

        var first = RunHook(copy, withoutClang);

        first.ExitCode.Should().Be(0, first.Stderr);
        first.Stderr.Should().Contain($"homelab: taking over the build lock of process {gone}, which is gone");
        first.Stderr.Should().Contain("homelab: building the ReadyToRun build (no clang on PATH; install clang");
        first.Stderr.Should().Contain("a build warning on purpose", "the warning was raised, on stderr");
        File.Exists(Path.Combine(copy.Root, "bin", "launch", "homelab.dll")).Should().BeTrue();
        Directory.Exists(Path.Combine(copy.Root, "bin", "launch-native")).Should().BeFalse("without clang no native build is tried");
        first.Stdout.Should().Be(expected);
        var stream = new YamlStream();
        stream.Load(new StringReader(first.Stdout));
        ((YamlMappingNode)stream.Documents.Single().RootNode).Children.Keys.Select(k => k.ToString()).Should().Contain(["name", "resources"]);

        var second = RunHook(copy, withoutClang);

        second.ExitCode.Should().Be(0, second.Stderr);
        second.Stderr.Should().BeEmpty("an up-to-date build is reused without MSBuild, and the choice was said when it was built");
        second.Stdout.Should().Be(expected);
    }

    /// <summary>Where clang is installed the launcher chooses the native binary, which then starts with no .NET on PATH at all.</summary>
    [ToolFact("clang")]
    public void With_clang_the_launcher_runs_the_native_binary_which_needs_no_dotnet()
    {
        LaunchedBuild.Built(LaunchedBuild.Native);
        using var path = ToolDirectory.With([.. ToolDirectory.Shell, "clang"]);

        var result = ProcessRunner.Run("/bin/sh", [Path.Combine(Repo.Root, Launcher.Script), "compile", "local"], Repo.Root,
            new Dictionary<string, string?>(PulumiEnvironment) { ["PATH"] = path.Path, [LaunchedBuild.Variable] = null, ["PULUMI_ROOT_DIRECTORY"] = Repo.Root });

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Be(ProgramEmitter.Emit(Compiler.Compile(Stacks.Load("local"))));
    }

    private static ProcessResult RunHook(ProjectCopy copy, Dictionary<string, string?> environment)
    {
        string[] argv = ["sh", .. Launcher.CommandLine("compile").Split(' ')[1..]];
        var variables = new Dictionary<string, string?>(PulumiEnvironment) { ["PULUMI_ROOT_DIRECTORY"] = copy.Root };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return ProcessRunner.Run(argv[0], argv[1..], copy.Root, variables, TimeSpan.FromMinutes(20));
    }
}
