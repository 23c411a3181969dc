using HomeLab.Program;
using HomeLab.Tests.Support;

using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.Cli;

/// <summary>
/// Runs the compiler exactly as Pulumi's YAML runtime does: the command line from Pulumi.yaml split like a shell
/// (pulumi-yaml uses shlex), the project root as working directory, and PULUMI_* variables set.
/// </summary>
public class CompilerAsPulumiRunsItTests
{
    private static readonly string[] CompilerArgv = Shlex(CompilerCommand());

    [Fact]
    public void Stdout_is_exactly_the_program_and_logs_go_to_stderr()
    {
        var result = RunCompiler(new()
        {
            ["PULUMI_STACK"] = "local",
            ["PULUMI_PROJECT"] = "homelab",
            ["PULUMI_CONFIG"] = """{"homelab:localToken":"[secret]"}""",
            ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
        });

        result.ExitCode.Should().Be(0, result.Stderr);
        var expected = ProgramEmitter.Emit(Compiler.Compile(Stacks.Load("local")));
        result.Stdout.Should().Be(expected, "stdout must hold the program and nothing else");
        var root = (YamlMappingNode)ParseYaml(result.Stdout);
        root.Children.Keys.Select(k => k.ToString()).Should().Contain(["name", "resources", "outputs"]);
    }

    [Fact]
    public void Without_a_stack_it_prints_the_plugin_manifest_Pulumi_asks_for()
    {
        var result = RunCompiler(new() { ["PULUMI_STACK"] = null, ["PULUMI_CONFIG"] = null });

        result.ExitCode.Should().Be(0, result.Stderr);
        var resources = (YamlMappingNode)((YamlMappingNode)ParseYaml(result.Stdout))["resources"];
        resources.Children.Values.Select(r => ((YamlMappingNode)r)["type"].ToString())
            .Should().BeEquivalentTo(["pulumi:providers:docker", "pulumi:providers:command"]);
    }

    [Fact]
    public void A_missing_secret_is_named_with_the_command_that_sets_it()
    {
        var result = RunCompiler(new()
        {
            ["PULUMI_STACK"] = "local",
            ["PULUMI_PROJECT"] = "homelab",
            ["PULUMI_CONFIG"] = "{}",
            ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
        });

        result.ExitCode.Should().Be(2);
        result.Stdout.Should().BeEmpty();
        result.Stderr.Should().Contain("pulumi config set --secret localToken <value> --stack local").And.NotContain("   at ");
    }

    /// <summary>pulumi-yaml sends json.Marshal of the stack's config (pkg/server/server.go, Run): "null" when the stack has none yet.</summary>
    [Theory]
    [InlineData("null")]
    [InlineData("")]
    [InlineData(null)]
    public void A_stack_with_no_config_yet_is_told_which_secrets_to_set(string? config)
    {
        var result = RunCompiler(new()
        {
            ["PULUMI_STACK"] = "local",
            ["PULUMI_PROJECT"] = "homelab",
            ["PULUMI_CONFIG"] = config,
            ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
        });

        result.ExitCode.Should().Be(2, result.Stderr);
        result.Stdout.Should().BeEmpty();
        result.Stderr.Should().Contain("pulumi config set --secret localToken <value> --stack local").And.NotContain("   at ").And.NotContain("Exception");
    }

    private static ProcessResult RunCompiler(Dictionary<string, string?> environment) =>
        ProcessRunner.Run(CompilerArgv[0], CompilerArgv[1..], Repo.Root, environment, TimeSpan.FromMinutes(5));

    private static YamlNode ParseYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Single().RootNode;
    }

    private static string CompilerCommand()
    {
        var project = (YamlMappingNode)ParseYaml(File.ReadAllText(Path.Combine(Repo.Root, "Pulumi.yaml")));
        return ((YamlMappingNode)((YamlMappingNode)project["runtime"])["options"])["compiler"].ToString();
    }

    /// <summary>POSIX shell word splitting as github.com/google/shlex does it: quotes group, backslash escapes.</summary>
    private static string[] Shlex(string command)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else if (c == '\\' && quote == '"' && i + 1 < command.Length)
                {
                    word.Append(command[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                inWord = true;
                if (c is '"' or '\'')
                {
                    quote = c;
                }
                else if (c == '\\' && i + 1 < command.Length)
                {
                    word.Append(command[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return [.. words];
    }
}
