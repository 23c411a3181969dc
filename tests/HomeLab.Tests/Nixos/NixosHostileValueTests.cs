using System.Text;
using System.Text.Json;

using HomeLab.Modules;
using HomeLab.Modules.Nixos;
using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Nixos;

/// <summary>Stack values reach Nix only as JSON data: hostile text is refused at validation or evaluates to itself.</summary>
public class NixosHostileValueTests
{
    private static readonly string[] Hostile =
    [
        "\"; services.openssh.enable = false; x = \"",
        "${builtins.abort \"evaluated\"}",
        "''${builtins.abort \"evaluated\"}''",
        "back\\slash \\\" \\${x} \\n",
        "it's ''",
        "$(touch /tmp/homelab-pwned) `id`",
        "{$HOMELAB_BEARER_X} {env.HOME}",
        "ünïcødé ✓ 🦙",
        "",
    ];

    private static string YamlSingleQuoted(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string WithEnvironment(IReadOnlyList<string> values)
    {
        var env = new StringBuilder("    env:\n");
        for (var i = 0; i < values.Count; i++)
        {
            env.Append("      E").Append(i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)).Append(": ").Append(YamlSingleQuoted(values[i])).Append('\n');
        }

        return NixosStacks.VariantYaml("nvidia", "internal", "capped", env.ToString());
    }

    private static void EnvironmentShouldEvaluateUnchanged(IReadOnlyList<string> values)
    {
        var nix = Nix.Require();

        var spec = Stacks.Parse(WithEnvironment(values));

        var evaluated = nix.EvaluateModule(NixpkgsReference.Supported()[^1], NixosStacks.ValuesJson(spec)).At("ollama", "unit", "environment");

        for (var i = 0; i < values.Count; i++)
        {
            evaluated.At($"E{i:D3}").GetString().Should().Be(values[i], "the value came from the stack file and must reach Ollama as written");
        }
    }

    [NixpkgsFact]
    public void Hostile_environment_values_come_out_of_evaluation_unchanged() => EnvironmentShouldEvaluateUnchanged(Hostile);

    [NixpkgsFact]
    public void Random_environment_values_made_of_nix_and_shell_syntax_come_out_unchanged()
    {
        const string alphabet = "ab9 \"'$\\{}`;#/*<>|&()[]@!~-_.:=+%^,?ü✓\u00a0";
        var random = new Random(20240611);
        var values = Enumerable.Range(0, 200)
            .Select(_ => new string(Enumerable.Range(0, random.Next(0, 24)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()))
            .ToList();

        EnvironmentShouldEvaluateUnchanged(values);
    }

    [Theory]
    [InlineData("proxy domain", "  domain: ollama.box.lan", "  domain: 'ollama\"; x = 1; \".lan'")]
    [InlineData("proxy domain", "  domain: ollama.box.lan", "  domain: 'a${b}.lan'")]
    [InlineData("control character", "  domain: ollama.box.lan", "  domain: \"ollama.box.lan\\n\\timport /etc/passwd\"")]
    [InlineData("model", "      - llama3.2:3b", "      - 'llama3.2\";evil:3b'")]
    [InlineData("model", "      - llama3.2:3b", "      - 'x${builtins.abort \"y\"}'")]
    [InlineData("control character", "      - llama3.2:3b", "      - \"llama3.2:3b\\n\"")]
    [InlineData("basicAuth user", "{ user: alice,", "{ user: 'al\"ice${x}',")]
    [InlineData("environment variable name", "    gpu: nvidia", "    gpu: nvidia\n    env: { 'A${B}': x }")]
    [InlineData("storage path", "storage: { path: /srv/data/ollama }", "storage: { path: '/srv/data/${x}' }")]
    [InlineData("moduleDir", "    address: box.lan", "    address: box.lan\n    moduleDir: '/etc/nixos/\"${x}'")]
    public void Hostile_names_are_refused_with_their_position_and_a_fix(string problem, string original, string replacement)
    {
        var yaml = NixosStacks.VariantYaml("nvidia", "internal", "capped");
        yaml.Should().Contain(original, "the test edits this line");
        var line = yaml[..yaml.IndexOf(original, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var load = () => Stacks.Parse(yaml.Replace(original, replacement, StringComparison.Ordinal));

        var diagnostics = load.Should().Throw<StackFileException>().Which.Diagnostics;
        var diagnostic = diagnostics.Should().ContainSingle(d => d.Problem.Contains(problem, StringComparison.Ordinal)).Which;
        diagnostic.At.Line.Should().BeInRange(line, line + 1);
        diagnostic.At.Column.Should().BePositive();
        diagnostic.Fix.Should().NotBeNullOrWhiteSpace();
        diagnostic.ToString().Should().StartWith($"stacks/test.yaml:{diagnostic.At.Line}:{diagnostic.At.Column}: ");
    }

    [NixpkgsFact]
    public void A_hostile_system_prompt_goes_to_the_hooks_and_never_into_nix()
    {
        const string marker = "PROMPT-MARKER";
        var prompt = $"{marker} \"; ${{builtins.abort \"x\"}} ''${{y}} \\ \n second line";
        var yaml = NixosStacks.VariantYaml("nvidia", "internal", "capped")
            .Replace("        system: Be brief.\n", "        system: " + JsonSerializer.Serialize(prompt) + "\n", StringComparison.Ordinal);

        var spec = Stacks.Parse(yaml);
        spec.Instances.Single().Models.Single(m => m.Name.Written == "helper").System.Should().Be(prompt);
        var values = NixosStacks.ValuesJson(spec);

        values.Should().NotContain(marker);
        var nix = Nix.Require();

        JsonSerializer.Serialize(nix.EvaluateModule(NixpkgsReference.Supported()[^1], values)).Should().NotContain(marker);
    }

    [Fact]
    public void Values_json_carries_strings_as_json_escapes_not_as_nix_syntax()
    {
        var json = NixosStacks.ValuesJson(Stacks.Parse(WithEnvironment(Hostile)));

        using var parsed = JsonDocument.Parse(json);
        var environment = parsed.RootElement.GetProperty("ollama").GetProperty("environment");
        for (var i = 0; i < Hostile.Length; i++)
        {
            environment.GetProperty($"E{i:D3}").GetString().Should().Be(Hostile[i]);
        }

        NixosOllama.ValuesJson(NixosOllama.Values(Stacks.Parse(WithEnvironment(Hostile)), NixosStacks.OnlyHost(Stacks.Parse(WithEnvironment(Hostile)))))
            .Should().Be(json, "the same stack gives the same bytes");
    }
}
