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
}
