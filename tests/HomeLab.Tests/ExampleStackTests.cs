using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Tests.Support;

namespace HomeLab.Tests;

public class ExampleStackTests
{
    public static TheoryData<string> Examples() => new(Repo.ExampleStacks());

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_stack_compiles_to_the_same_bytes_twice(string stack)
    {
        var first = ProgramEmitter.Emit(Compiler.Compile(Stacks.Load(stack)));
        var second = ProgramEmitter.Emit(Compiler.Compile(Stacks.Load(stack)));

        second.Should().Be(first);
        first.Should().Contain("resources:");
    }

    [Theory]
    [InlineData("docker", Pins.DockerProvider)]
    [InlineData("command", Pins.CommandProvider)]
    public void Package_lock_files_pin_the_same_provider_versions_as_the_program(string package, string version)
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "modules", "packages", package + ".yaml"));

        text.Should().Contain("packageDeclarationVersion: 1\n").And.Contain($"name: {package}\n").And.Contain($"version: {version}\n");
    }
}
