using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Tests.Support;

using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.Cli;

/// <summary>
/// The compiler hook in a fresh copy of the project, run as pulumi-yaml's LoadFromCompiler runs it (pkg/pulumiyaml/run.go:
/// the command line split by shlex, executed without a shell, stdout parsed as the program, stderr shown only when
/// the command fails). Whatever the build says must stay off stdout.
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

    [Fact]
    public void A_failed_build_prints_nothing_on_stdout_names_the_error_on_stderr_and_exits_non_zero()
    {
        using var copy = ProjectCopy.Create();
        copy.Write("infra/BrokenOnPurpose.cs", "namespace HomeLab;\n\ninternal static class BrokenOnPurpose\n{\n    public static int Value => ;\n}\n");

        var result = RunHook(copy);

        result.ExitCode.Should().NotBe(0);
        result.Stdout.Should().BeEmpty("pulumi-yaml would parse anything on stdout as the program");
        result.Stderr.Should().Contain("BrokenOnPurpose.cs").And.Contain("error CS").And.Contain("the build failed");
    }

    /// <summary>
    /// TreatWarningsAsErrors turns every compiler warning into an error, so the warnings a build still prints are
    /// MSBuild's own (a task or target warning, such as a package or SDK notice): one is added to the project here.
    /// </summary>
    [Fact]
    public void A_build_warning_goes_to_stderr_and_stdout_still_parses_as_the_program_and_the_next_call_reuses_the_build()
    {
        using var copy = ProjectCopy.Create();
        copy.Edit("HomeLab.csproj", "</Project>",
            "  <Target Name=\"WarnOnPurpose\" BeforeTargets=\"CoreCompile\">\n    <Warning Code=\"HLTEST1\" Text=\"a build warning on purpose\" />\n  </Target>\n</Project>");
        var expected = ProgramEmitter.Emit(Compiler.Compile(Stacks.Load("local")));

        var first = RunHook(copy);

        first.ExitCode.Should().Be(0, first.Stderr);
        first.Stderr.Should().Contain("a build warning on purpose", "the warning was raised, on stderr");
        first.Stdout.Should().Be(expected);
        var stream = new YamlStream();
        stream.Load(new StringReader(first.Stdout));
        ((YamlMappingNode)stream.Documents.Single().RootNode).Children.Keys.Select(k => k.ToString()).Should().Contain(["name", "resources"]);

        var second = RunHook(copy);

        second.ExitCode.Should().Be(0, second.Stderr);
        second.Stderr.Should().NotContain("building", "an up-to-date build is reused without MSBuild");
        second.Stdout.Should().Be(expected);
    }

    private static ProcessResult RunHook(ProjectCopy copy)
    {
        string[] argv = ["sh", .. Launcher.CommandLine("compile").Split(' ')[1..]];
        return ProcessRunner.Run(argv[0], argv[1..], copy.Root, new Dictionary<string, string?>(PulumiEnvironment) { ["PULUMI_ROOT_DIRECTORY"] = copy.Root }, TimeSpan.FromMinutes(8));
    }
}
