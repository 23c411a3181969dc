using System.Text.Json;
using System.Text.Json.Nodes;

using FsCheck.Fluent;

using HomeLab.Modules.Nixos;
using HomeLab.Program;
using HomeLab.Tests.Hooks;
using HomeLab.Tests.Hooks.StandIn;
using HomeLab.Tests.ProgramValidation;
using HomeLab.Tests.Support;
using HomeLab.Workspace;

namespace HomeLab.Tests.Cli;

/// <summary>
/// The native binary and the managed build are one program: the same stacks compile to the same bytes, and the hooks
/// (OllamaSharp's JSON through infra/Ollama/OllamaJson.cs, which the native build cannot replace by reflection) work
/// in both builds against the Ollama stand-in.
/// </summary>
public class NativeBuildTests
{
    [ToolFact("clang")]
    public void The_example_stacks_compile_to_the_same_bytes_in_the_native_and_the_ReadyToRun_build()
    {
        foreach (var stack in Repo.ExampleStacks())
        {
            var environment = new Dictionary<string, string?>
            {
                ["PULUMI_STACK"] = stack,
                ["PULUMI_PROJECT"] = "homelab",
                ["PULUMI_CONFIG"] = JsonSerializer.Serialize(Stacks.Load(stack).SecretKeys().ToDictionary(key => $"homelab:{key}", _ => "[secret]")),
                ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
            };

            var native = LaunchedBuild.Run(LaunchedBuild.Native, ["compile"], Repo.Root, environment);
            var managed = LaunchedBuild.Run(LaunchedBuild.ReadyToRun, ["compile"], Repo.Root, environment);

            native.ExitCode.Should().Be(0, native.Stderr);
            managed.ExitCode.Should().Be(0, managed.Stderr);
            native.Stdout.Should().Be(managed.Stdout, $"stack '{stack}' compiles to the same program in both builds");
            native.Stdout.Should().Be(ProgramEmitter.Emit(Compiler.Compile(Stacks.Load(stack), NixosModule.Load(Repo.Root))));
        }
    }

    /// <summary>100 random stacks (<see cref="StackGenerator"/>), compiled by the native binary and by the managed code in this process.</summary>
    [ToolFact("clang")]
    public void One_hundred_generated_stacks_compile_to_the_same_bytes_in_the_native_and_the_managed_build()
    {
        var native = LaunchedBuild.NativeBinary;
        var root = Directory.CreateTempSubdirectory("homelab-generated-");
        try
        {
            File.WriteAllText(Path.Combine(root.FullName, "Pulumi.yaml"), "name: homelab\n");
            Directory.CreateDirectory(Path.Combine(root.FullName, "stacks"));
            Directory.CreateDirectory(Path.Combine(root.FullName, "nix"));
            File.Copy(Path.Combine(Repo.Root, "nix", "homelab.nix"), Path.Combine(root.FullName, "nix", "homelab.nix"));
            var stacks = StackGenerator.Stacks().Generator.Sample(50, 100);
            for (var i = 0; i < stacks.Length; i++)
            {
                var name = $"generated-{i:D3}";
                File.WriteAllText(Path.Combine(root.FullName, "stacks", $"{name}.yaml"), stacks[i]);
                var workspace = new ProjectDirectory(root.FullName);
                var expected = ProgramEmitter.Emit(Compiler.Compile(workspace.Load(name, Targets.Rules), NixosModule.Load(workspace.Root)));

                var result = ProcessRunner.Run(native, ["compile", name], root.FullName, new Dictionary<string, string?> { ["PULUMI_CONFIG"] = null, ["PULUMI_ROOT_DIRECTORY"] = null }, TimeSpan.FromMinutes(1));

                result.ExitCode.Should().Be(0, $"{result.Stderr}\nfor the stack:\n{stacks[i]}");
                result.Stdout.Should().Be(expected, $"the native binary compiles this stack as the managed build does:\n{stacks[i]}");
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The post-deploy hooks as the program's command resources run them (through the launcher), in both builds: a
    /// pull, a create with typed parameters, verification and a warm-up, every call of OllamaSharp's client.
    /// </summary>
    [Theory]
    [InlineData(LaunchedBuild.ReadyToRun)]
    [NativeBuildData]
    public async Task The_hooks_pull_create_verify_and_warm_through_the_real_binary(string build)
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Publish("llama3.2", 2_019_377_376);
        ollama.Publish("qwen2.5-coder:7b", 700_000_000, parameters: new Dictionary<string, JsonNode> { ["stop"] = new JsonArray("<|im_end|>") });
        ollama.Install("nomic-embed-text:latest", "embedding");
        var root = Directory.CreateTempSubdirectory("homelab-hooks-");
        try
        {
            File.WriteAllText(Path.Combine(root.FullName, "Pulumi.yaml"), "name: homelab\n");
            Directory.CreateDirectory(Path.Combine(root.FullName, "stacks"));
            File.WriteAllText(Path.Combine(root.FullName, "stacks", "lab.yaml"), HookHarness.DirectStack());

            var run = LaunchedBuild.Run(build, ["hooks", "lab", "--instance", "ollama", "--url", ollama.Url.ToString()], root.FullName,
                new Dictionary<string, string?> { ["PULUMI_ROOT_DIRECTORY"] = null });

            run.ExitCode.Should().Be(0, run.Stderr);
            var report = JsonNode.Parse(run.Stdout)!;
            report["ok"]!.GetValue<bool>().Should().BeTrue(run.Stdout);
            var models = report["instances"]![0]!["models"]!.AsArray().ToDictionary(m => m!["name"]!.GetValue<string>(), m => m!["state"]!.GetValue<string>());
            models.Should().Contain(new Dictionary<string, string> { ["llama3.2"] = "pulled", ["nomic-embed-text"] = "present", ["reviewer"] = "created" });
            var create = ollama.RequestsTo("/api/create").Should().ContainSingle().Subject.Body!;
            create["parameters"]!["temperature"]!.GetValue<double>().Should().Be(0.2);
            create["parameters"]!["num_ctx"]!.GetValue<long>().Should().Be(8192);
            create.AsObject().Select(p => p.Key).Should().NotContain(["license", "template", "CustomHeaders"], "unset fields stay out of the request");
            ollama.InstalledModels.Should().BeEquivalentTo(["llama3.2:latest", "nomic-embed-text:latest", "qwen2.5-coder:7b", "reviewer:latest"]);
            ollama.Violations.Should().BeEmpty();
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
