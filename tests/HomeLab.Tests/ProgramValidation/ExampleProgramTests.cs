using HomeLab.Program;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.ProgramValidation;

public class ExampleProgramTests
{
    public static TheoryData<string> Examples() => new(Repo.ExampleStacks());

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_stack_compiles_to_a_program_Pulumi_and_the_providers_accept(string stack)
    {
        var program = ProgramEmitter.Emit(Compiler.Compile(Stacks.Load(stack)));

        var errors = ProgramValidator.Validate(program);

        errors.Should().BeEmpty("stacks/{0}.yaml must compile to a valid program, but:\n{1}", stack, string.Join("\n", errors));
    }

    [Fact]
    public void The_plugin_manifest_printed_without_a_stack_is_a_valid_program()
    {
        var errors = ProgramValidator.Validate(ProgramEmitter.Emit(Modules.PluginManifest.Program()));

        errors.Should().BeEmpty(string.Join("\n", errors));
    }
}
