using FsCheck;
using FsCheck.Fluent;

using HomeLab.Conventions;
using HomeLab.Modules;
using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Tests.Support;

using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.ProgramValidation;

public class GeneratedStackTests
{
    [Fact]
    public void Every_valid_stack_compiles_deterministically_to_a_valid_program_that_runs_what_it_declares()
    {
        var property = Prop.ForAll(StackGenerator.Stacks(), yaml =>
        {
            var spec = Load(yaml);
            var program = ProgramEmitter.Emit(Compiler.Compile(spec));

            ProgramEmitter.Emit(Compiler.Compile(spec)).Should().Be(program, "the same spec must compile to the same bytes");
            ProgramEmitter.Emit(Compiler.Compile(Load(yaml))).Should().Be(program, "the same stack file must compile to the same bytes");
            var errors = ProgramValidator.Validate(program);
            errors.Should().BeEmpty("the program must be valid, but:\n{0}\n--- program ---\n{1}", string.Join("\n", errors), program);
            ContainersRunWhatTheStackDeclares(spec, program);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), property);
    }

    private static StackSpec Load(string yaml)
    {
        try
        {
            return Stacks.Parse(yaml, StackGenerator.StackName);
        }
        catch (StackFileException e)
        {
            throw new InvalidOperationException($"the generator made a stack the loader refuses:\n{string.Join("\n", e.Diagnostics)}\n--- stack ---\n{yaml}", e);
        }
    }

    /// <summary>
    /// Each instance's container (found by its homelab.instance label) pulls the instance's own image, the proxy's
    /// pulls the proxy's, and no two containers on one Docker engine share a name.
    /// </summary>
    private static void ContainersRunWhatTheStackDeclares(StackSpec spec, string program)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(program));
        var resources = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["resources"];
        static string Text(YamlNode node, params string[] path) =>
            path.Aggregate(node, (n, key) => n is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : new YamlScalarNode("")) is YamlScalarNode { Value: { } v } ? v : "";

        var containers = resources.Children
            .Where(r => Text(r.Value, "type") == "docker:Container")
            .Select(r => (
                Labels: ((YamlSequenceNode)r.Value["properties"]["labels"]).Children.ToDictionary(l => Text(l, "label"), l => Text(l, "value")),
                DockerName: Text(r.Value, "properties", "name"),
                Engine: Text(r.Value, "options", "provider"),
                Image: Text(resources[Text(r.Value, "properties", "image").Split('.')[0].TrimStart('$', '{')], "properties", "name")))
            .ToList();

        var expected = spec.Instances.Where(i => spec.Host(i.Host) is DockerHostSpec).ToDictionary(i => "instance " + i.Name, OllamaImage.For);
        if (spec.Proxy is { } proxy && spec.Host(proxy.Host) is DockerHostSpec)
        {
            expected["the proxy"] = proxy.Image ?? Pins.CaddyImage;
        }

        var actual = containers.ToDictionary(
            c => c.Labels.TryGetValue("homelab.instance", out var instance) ? "instance " + instance : "the " + c.Labels["homelab.role"],
            c => c.Image);
        actual.Should().BeEquivalentTo(expected, "every container must run the image its stack entry declares");
        containers.GroupBy(c => (c.Engine, c.DockerName)).Where(g => g.Count() > 1).Select(g => g.Key.DockerName)
            .Should().BeEmpty("Docker refuses a second container with the same name on one engine");
    }
}
