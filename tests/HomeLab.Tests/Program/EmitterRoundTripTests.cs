using FsCheck;
using FsCheck.Fluent;

using HomeLab.Program;

using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.Program;

/// <summary>Whatever text a module puts into a property, Pulumi reads back exactly that text.</summary>
public class EmitterRoundTripTests
{
    private static readonly string[] Tricky =
    [
        "yes", "no", "on", "off", "null", "~", "true", "0x1F", "1e3", "012", "1_000", ".inf", "2026-11-22", "", " ", "a: b", "- x", "# c",
        "${secret}", "$${x}", "$", "{$HOME}", "'", "\"", "\\", "\ttab", "line\n", "\nlead", "a\n\nb\n", "trail \nx", "\t\tcaddy {\n}\n", "é ü 日本", "\u2028",
    ];

    private static string RoundTrip(string text)
    {
        var program = new PulumiProgram("t", "round trip", [], [new Resource("r-1", "docker:Volume", new MapValue(("name", text)), new ResourceOptions())], []);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(ProgramEmitter.Emit(program)));
        var resources = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["resources"];
        var scalar = (YamlScalarNode)((YamlMappingNode)((YamlMappingNode)resources["r-1"])["properties"])["name"];
        scalar.Style.Should().NotBe(YamlDotNet.Core.ScalarStyle.Folded, "folded scalars are hard to review");
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.Plain)
        {
            scalar.Value.Should().MatchRegex("^[^\\s].*[^\\s]$|^[^\\s]$", "a plain scalar would lose leading or trailing spaces");
        }

        // Pulumi YAML reads '$$' as '$'.
        return scalar.Value!.Replace("$$", "$", StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_yaml_or_pulumi_would_misread_come_back_unchanged()
    {
        foreach (var text in Tricky)
        {
            RoundTrip(text).Should().Be(text, $"'{text}' must survive emission");
        }
    }

    [Fact]
    public void Random_text_comes_back_unchanged()
    {
        var pieces = Gen.Elements(Tricky.Concat(["a", "b", "\n", "\t", " ", ":", "#", "$", "{", "}", "'", "\""]).ToArray());
        var texts = Gen.ListOf(pieces).Select(p => string.Concat(p)).ToArbitrary();
        Prop.ForAll(texts, text => RoundTrip(text) == text).QuickCheckThrowOnFailure();
    }
}
