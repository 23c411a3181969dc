using System.Text.Json.Nodes;

using HomeLab.Spec;
using HomeLab.Spec.Shape;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Spec.Shape;

public class StackSchemaTests
{
    private static readonly JsonNode Schema = JsonNode.Parse(StackSchema.Generate())!;

    public static TheoryData<string> Examples() => new(Repo.ExampleStacks());

    [Fact]
    public void The_checked_in_schema_is_the_generated_one()
    {
        var checkedIn = File.ReadAllText(Path.Combine(Repo.Stacks, StackSchema.FileName));

        checkedIn.Should().Be(StackSchema.Generate(),
            $"stacks/{StackSchema.FileName} is generated from infra/Spec/SpecShape.cs — run: homelab schema > stacks/{StackSchema.FileName}");
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_stack_validates_against_the_schema(string stack)
    {
        var text = File.ReadAllText(Path.Combine(Repo.Stacks, stack + ".yaml"));

        SchemaErrors.Of(SchemaErrors.StackSchema, YamlAsJson.Read(text)).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_stack_names_the_schema_in_its_modeline(string stack)
    {
        var firstLine = File.ReadLines(Path.Combine(Repo.Stacks, stack + ".yaml")).First();

        firstLine.Should().Be($"# yaml-language-server: $schema={StackSchema.FileName}");
    }

    [Fact]
    public void An_unknown_key_is_refused_by_the_schema_and_by_the_loader_alike()
    {
        var yaml = File.ReadAllText(Path.Combine(Repo.Stacks, "local.yaml"))
            .Replace("    host: local\n    image:", "    host: local\n    colour: red\n    image:", StringComparison.Ordinal);

        SchemaErrors.Of(SchemaErrors.StackSchema, YamlAsJson.Read(yaml)).Should().ContainSingle()
            .Which.Should().StartWith("$.instances.ollama.colour: ", "additionalProperties: false refuses the key");
        var load = () => Stacks.Parse(yaml, "local");
        load.Should().Throw<StackFileException>().Which.Diagnostics.Should().ContainSingle()
            .Which.Problem.Should().Be("unknown key 'colour' in instance 'ollama'");
    }

    [Theory]
    [InlineData("  tls: off", "  tls: maybe", "$.proxy.tls")]
    [InlineData("      memory: 6GiB", "      memory: 6GB", "$.instances.ollama.resources.memory")]
    [InlineData("      cpus: 2", "      cpus: 0", "$.instances.ollama.resources.cpus")]
    [InlineData("    http: 8080", "    http: 70000", "$.proxy.ports.http")]
    [InlineData("    bearerTokens: [localToken]", "    bearerTokens: [local-token]", "$.proxy.auth.bearerTokens[0]")]
    [InlineData("  - to: [ollama]", "  - balance: first", "$.proxy.routes[0]")]
    public void The_schema_refuses_what_the_loader_refuses(string line, string replacement, string path)
    {
        var original = File.ReadAllText(Path.Combine(Repo.Stacks, "local.yaml"));
        original.Should().Contain(line + "\n");
        var yaml = original.Replace(line + "\n", replacement + "\n", StringComparison.Ordinal);

        SchemaErrors.Of(SchemaErrors.StackSchema, YamlAsJson.Read(yaml)).Should().NotBeEmpty().And.OnlyContain(e => e.StartsWith(path, StringComparison.Ordinal));
        var load = () => Stacks.Parse(yaml, "local");
        load.Should().Throw<StackFileException>();
    }

    [Fact]
    public void Every_fixed_mapping_refuses_unknown_keys_in_the_schema()
    {
        var open = new List<string>();
        var fixedMappings = 0;
        void Walk(JsonNode node, string path)
        {
            if (node is JsonObject obj)
            {
                if (obj["type"] is JsonValue type && type.ToJsonString() == "\"object\"" && obj["properties"] is JsonObject)
                {
                    fixedMappings++;
                    if (obj["additionalProperties"]?.ToJsonString() != "false")
                    {
                        open.Add(path);
                    }
                }

                foreach (var (key, child) in obj.Where(p => p.Value is not null))
                {
                    Walk(child!, $"{path}/{key}");
                }
            }
            else if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i]!, $"{path}/{i}");
                }
            }
        }

        Walk(Schema, "#");

        fixedMappings.Should().BeGreaterThanOrEqualTo(17, "every mapping in SpecShape is a fixed mapping in the schema");
        open.Should().BeEmpty();
    }
}
