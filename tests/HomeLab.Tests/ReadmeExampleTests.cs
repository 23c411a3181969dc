using System.Text.RegularExpressions;

using HomeLab.Program;
using HomeLab.Spec.Shape;
using HomeLab.Tests.ProgramValidation;
using HomeLab.Tests.Spec.Shape;
using HomeLab.Tests.Support;

namespace HomeLab.Tests;

/// <summary>The stack file the README shows is one a reader can copy: it loads, matches the schema and compiles to a valid program.</summary>
public partial class ReadmeExampleTests
{
    private static string Example()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var section = readme[readme.IndexOf("\n## The stack file\n", StringComparison.Ordinal)..];
        return YamlBlock().Match(section).Groups["yaml"].Value;
    }

    [Fact]
    public void The_readme_example_stack_loads_and_compiles_to_a_valid_program()
    {
        var yaml = Example();
        yaml.Should().Contain("hosts:").And.Contain("instances:").And.Contain("proxy:");

        var load = () => Stacks.Parse(yaml, "readme");
        var spec = load.Should().NotThrow("the README's stack file must validate").Subject;
        var errors = ProgramValidator.Validate(ProgramEmitter.Emit(Compiler.Compile(spec)));

        errors.Should().BeEmpty(string.Join("\n", errors));
    }

    [Fact]
    public void The_readme_example_stack_matches_the_stack_schema()
    {
        SchemaErrors.Of(SchemaErrors.StackSchema, YamlAsJson.Read(Example())).Should().BeEmpty();
    }

    [GeneratedRegex(@"```yaml\n(?<yaml>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex YamlBlock();
}
