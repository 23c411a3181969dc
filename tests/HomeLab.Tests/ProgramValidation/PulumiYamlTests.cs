using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.ProgramValidation;

/// <summary>The validator reads programs as Pulumi does; these pin the go-yaml and interpolation rules it ports.</summary>
public class PulumiYamlTests
{
    [Theory]
    [InlineData("x: 8192", "Number")]
    [InlineData("x: 0x1F", "Number")]
    [InlineData("x: 1_000", "Number")]
    [InlineData("x: 2.5e3", "Number")]
    [InlineData("x: .5", "Number")]
    [InlineData("x: -.inf", "Number")]
    [InlineData("x: true", "Bool")]
    [InlineData("x: FALSE", "Bool")]
    [InlineData("x: yes", "String")]
    [InlineData("x: on", "String")]
    [InlineData("x: 5.1.0", "String")]
    [InlineData("x: 2024-01-02", "String")]
    [InlineData("x: 1:30", "String")]
    [InlineData("x: \"8192\"", "String")]
    [InlineData("x: '3'", "String")]
    [InlineData("x: !!str 3", "String")]
    [InlineData("x: ~", "Null")]
    [InlineData("x:", "Null")]
    public void Scalars_have_the_kind_go_yaml_gives_them(string yaml, string kind)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var scalar = (YamlScalarNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("x")];

        PulumiYaml.Scalar(scalar).Kind.ToString().Should().Be(kind);
    }

    [Theory]
    [InlineData("plain text", "plain text", "", false)]
    [InlineData("costs $$5 and $${HOME}", "costs $5 and ${HOME}", "", false)]
    [InlineData("${net.name}", "", "${net.name}", true)]
    [InlineData("${a}${b}", "", "${a} ${b}", false)]
    [InlineData("a=${x}, b=${y.z[0].w}", "a=, b=", "${x} ${y.z[0].w}", false)]
    [InlineData("${[\"key with \\\"quotes\\\"\"].out}", "", "${key with \"quotes\".out}", true)]
    [InlineData("${my-resource.ports[2][\"k\"]}", "", "${my-resource.ports[2][\"k\"]}", true)]
    public void Interpolations_split_like_Pulumi_YAML(string text, string literal, string references, bool isSingleReference)
    {
        var interpolation = PulumiYaml.Interpolate(text, out var error);

        error.Should().BeNull();
        interpolation!.Literal.Should().Be(literal);
        string.Join(" ", interpolation.References).Should().Be(references);
        interpolation.IsSingleReference.Should().Be(isSingleReference);
    }

    [Theory]
    [InlineData("${a.b", "unterminated interpolation")]
    [InlineData("${[0]}", "the root property must be a string subscript or a name")]
    [InlineData("${a[x]}", "invalid list index")]
    [InlineData("${a[\"k}", "missing closing quote or bracket in property name")]
    [InlineData("${}", "'${}' names nothing")]
    public void Malformed_interpolations_are_refused(string text, string expected)
    {
        PulumiYaml.Interpolate(text, out var error).Should().BeNull();
        error.Should().Be(expected);
    }
}
