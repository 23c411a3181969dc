using HomeLab.Spec;
using HomeLab.Tests.Hooks;

namespace HomeLab.Tests.Spec.Shape;

/// <summary>
/// Booleans as YAML 1.2's core schema reads them — the schema the editor's language server and Pulumi's YAML reader
/// use: the editor schema (stacks/homelab.schema.json) and the loader are fed the same files and must agree.
/// </summary>
public class YamlBooleanTests
{
    public static TheoryData<string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, bool>();
        var spellings = new (string Text, bool Accepted)[] { ("true", true), ("True", true), ("TRUE", true), ("false", true), ("False", true), ("FALSE", true), ("yes", false), ("on", false), ("tRUE", false) };
        foreach (var (text, accepted) in spellings)
        {
            data.Add("removeUndeclared", text, accepted);
            data.Add("warm", text, accepted);
            data.Add("flashAttention", text, accepted);
            data.Add("verify", text, accepted);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_schema_and_the_loader_agree_on_every_spelling(string key, string text, bool accepted)
    {
        var yaml = Stack(key, text);

        var schemaErrors = SchemaErrors.Of(SchemaErrors.StackSchema, YamlAsJson.Read(yaml));
        var load = () => HookHarness.Parse(yaml);

        (schemaErrors.Count == 0).Should().Be(accepted, $"the editor reads '{text}' as {(accepted ? "a boolean" : "text")}: {string.Join("; ", schemaErrors)}");
        if (accepted)
        {
            load.Should().NotThrow();
            return;
        }

        var error = load.Should().Throw<StackFileException>().Which.Diagnostics.Should().ContainSingle().Subject;
        error.Problem.Should().EndWith($"must be true or false, not '{text}'");
        if (text is "yes" or "on")
        {
            error.Fix.Should().Contain("YAML 1.2");
        }
    }

    [Theory]
    [InlineData("False")]
    [InlineData("FALSE")]
    public void Tls_false_in_any_YAML_1_2_spelling_is_off(string text)
    {
        var yaml = HookHarness.ProxiedStack().Replace("  tls: off", $"  tls: {text}", StringComparison.Ordinal);

        SchemaErrors.Of(SchemaErrors.StackSchema, YamlAsJson.Read(yaml)).Should().BeEmpty();
        HookHarness.Parse(yaml).Proxy!.Tls.Should().Be(HomeLab.Spec.TlsMode.Off);
    }

    private static string Stack(string key, string text) => key switch
    {
        "removeUndeclared" => HookHarness.DirectStack("          - llama3.2:1b").Replace("removeUndeclared: false", $"removeUndeclared: {text}", StringComparison.Ordinal),
        "warm" => HookHarness.DirectStack($"          - {{ name: llama3.2:1b, warm: {text} }}"),
        "flashAttention" => HookHarness.DirectStack("          - llama3.2:1b").Replace("keepAlive: 10m", $"keepAlive: 10m, flashAttention: {text}", StringComparison.Ordinal),
        _ => HookHarness.DirectStack("          - llama3.2:1b").Replace("via: direct,", $"via: direct, verify: {text},", StringComparison.Ordinal),
    };
}
