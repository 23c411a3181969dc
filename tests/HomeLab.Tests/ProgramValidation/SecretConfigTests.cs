using System.Text.Json;

using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Tests.Support;

using YamlDotNet.RepresentationModel;

namespace HomeLab.Tests.ProgramValidation;

/// <summary>These tests set process-wide environment variables and Console streams, so nothing may run beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CompileCommandEnvironment
{
    public const string Name = "compile command environment";
}

/// <summary>
/// Runs 'homelab compile' in-process the way Pulumi's YAML runtime runs it (PULUMI_STACK, PULUMI_PROJECT,
/// PULUMI_CONFIG, PULUMI_ROOT_DIRECTORY set; no arguments) with marker values for every secret, and proves that no
/// value reaches the program: each secret is a declared secret config key that resources read as ${key}.
/// </summary>
[Collection(CompileCommandEnvironment.Name)]
public class SecretConfigTests
{
    private const string Marker = "MARKER-s3cr3t-";

    public static TheoryData<string> StacksWithSecrets() =>
        new(Repo.ExampleStacks().Where(stack => Stacks.Load(stack).SecretKeys().Count > 0));

    [Theory]
    [MemberData(nameof(StacksWithSecrets))]
    public void Secret_values_in_the_stack_config_never_reach_the_program(string stack)
    {
        var keys = Stacks.Load(stack).SecretKeys();
        var config = keys.ToDictionary(key => $"homelab:{key}", key => $"{Marker}{key}-{Guid.NewGuid():N}");
        config["homelab:unrelated"] = "plain";

        var (exit, program, errors) = CompileAsPulumiDoes(stack, config);

        exit.Should().Be(0, errors);
        program.Should().NotContain(Marker).And.NotContain("s3cr3t");
        errors.Should().NotContain(Marker);
        program.Should().Be(ProgramEmitter.Emit(Compiler.Compile(Stacks.Load(stack))), "config values must not change the program");
        ProgramValidator.Validate(program).Should().BeEmpty();

        var declared = DeclaredConfig(program);
        foreach (var key in keys)
        {
            declared.Should().ContainKey(key).WhoseValue.Should().Be("string, secret", "secret '{0}' must be declared as a secret string", key);
            program.Should().Contain($"${{{key}}}", "resources must read secret '{0}' as a config reference", key);
        }
    }

    [Fact]
    public void A_missing_secret_is_named_without_printing_the_ones_that_are_set()
    {
        var keys = Stacks.Load("gpu-box").SecretKeys();
        var config = keys.Skip(1).ToDictionary(key => $"homelab:{key}", key => $"{Marker}{key}");

        var (exit, program, errors) = CompileAsPulumiDoes("gpu-box", config);

        exit.Should().Be(2);
        program.Should().BeEmpty();
        errors.Should().Contain($"not set: {keys[0]} — run: homelab secrets gpu-box --set-missing").And.NotContain(Marker);
    }

    private static (int Exit, string Stdout, string Stderr) CompileAsPulumiDoes(string stack, Dictionary<string, string> config)
    {
        var environment = new Dictionary<string, string?>
        {
            ["PULUMI_STACK"] = stack,
            ["PULUMI_PROJECT"] = "homelab",
            ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
            ["PULUMI_CONFIG"] = JsonSerializer.Serialize(config),
        };
        var saved = environment.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            foreach (var (name, value) in environment)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            Console.SetOut(output);
            Console.SetError(error);
            var exit = HomeLab.Cli.Cli.Build().Parse(["compile"]).Invoke();
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    /// <summary>The program's config block as key → "type, secret" (or "type, not secret").</summary>
    private static Dictionary<string, string> DeclaredConfig(string program)
    {
        static string? Field(YamlMappingNode entry, string key) =>
            entry.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

        var stream = new YamlStream();
        stream.Load(new StringReader(program));
        var config = (YamlMappingNode)stream.Documents[0].RootNode["config"];
        return config.Children.ToDictionary(
            entry => ((YamlScalarNode)entry.Key).Value!,
            entry => $"{Field((YamlMappingNode)entry.Value, "type")}, {(Field((YamlMappingNode)entry.Value, "secret") == "true" ? "secret" : "not secret")}");
    }
}
