using System.Text.Json;
using System.Text.Json.Nodes;

using FsCheck;
using FsCheck.Fluent;

using HomeLab.Program;
using HomeLab.Tests.ProgramValidation;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Kubernetes;

/// <summary>
/// Every Kubernetes object of every compiled program — the example stacks and generated Kubernetes stacks — passes
/// two validators that share nothing with each other or with us: KubernetesClient's API models with unknown fields
/// refused (a misspelled field fails), and kubernetes-models (its JSON schemas generated from the Kubernetes OpenAPI
/// document: required fields and types), run by node.
/// </summary>
public class KubernetesObjectTests
{
    [Fact]
    public void Every_object_of_the_example_stacks_fits_the_Kubernetes_API_models_exactly()
    {
        var objects = ExampleObjects();
        objects.Should().Contain(o => o.Token == "kubernetes:apps/v1:StatefulSet", "stacks/k3s.yaml runs Ollama as StatefulSets");
        objects.Should().Contain(o => o.Resource == "webui-deployment", "stacks/k3s.yaml has a front end on the cluster");

        StrictErrors(objects).Should().BeEmpty();
    }

    [Fact]
    public void Every_object_of_generated_Kubernetes_stacks_fits_the_Kubernetes_API_models_exactly()
    {
        var property = Prop.ForAll(Arb.From(KubernetesStackGenerator.Stack()), yaml =>
        {
            var program = ProgramEmitter.Emit(Compiler.Compile(Stacks.Parse(yaml, StackGenerator.StackName)));
            var errors = StrictErrors(KubernetesObjects.Of(program));
            errors.Should().BeEmpty("--- stack ---\n{0}", yaml);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), property);
    }

    [Fact]
    public void A_misspelled_or_mistyped_field_is_caught_by_the_strict_models()
    {
        var statefulSet = ExampleObjects().First(o => o.Token == "kubernetes:apps/v1:StatefulSet");
        var misspelled = (JsonObject)statefulSet.Body.DeepClone();
        var spec = misspelled["spec"]!.AsObject();
        spec["serviceNmae"] = spec["serviceName"]!.DeepClone();
        spec.Remove("serviceName");
        var mistyped = (JsonObject)statefulSet.Body.DeepClone();
        mistyped["spec"]!["replicas"] = "two";

        KubernetesModels.StrictError(statefulSet.Token, misspelled.ToJsonString()).Should().Contain("serviceNmae");
        KubernetesModels.StrictError(statefulSet.Token, mistyped.ToJsonString()).Should().NotBeNull();
    }

    [KubernetesModelsFact]
    public void Every_object_of_the_example_and_generated_stacks_passes_kubernetes_models()
    {
        var objects = ExampleObjects().ToList();
        var generated = Gen.Sample(KubernetesStackGenerator.Stack(), 40);
        foreach (var yaml in generated)
        {
            objects.AddRange(KubernetesObjects.Of(ProgramEmitter.Emit(Compiler.Compile(Stacks.Parse(yaml, StackGenerator.StackName)))));
        }

        var results = RunKubernetesModels(objects);

        results.Should().HaveCount(objects.Count);
        results.Where(r => r.Errors.Count > 0).Select(r => $"{objects[r.Index].Resource} ({r.Kind}): {string.Join("; ", r.Errors)}").Should().BeEmpty();
    }

    [KubernetesModelsFact]
    public void Kubernetes_models_catches_a_missing_required_field_and_a_wrong_type()
    {
        var service = ExampleObjects().First(o => o.Token == "kubernetes:core/v1:Service");
        var noPort = (JsonObject)service.Body.DeepClone();
        noPort["spec"]!["ports"]![0]!.AsObject().Remove("port");
        var textPort = (JsonObject)service.Body.DeepClone();
        textPort["spec"]!["ports"]![0]!["port"] = "eleven";

        var results = RunKubernetesModels([service with { Body = noPort }, service with { Body = textPort }]);

        results[0].Errors.Should().ContainSingle(e => e.Contains("port", StringComparison.Ordinal));
        results[1].Errors.Should().ContainSingle(e => e.Contains("integer", StringComparison.Ordinal));
    }

    private static List<KubernetesObjects.KubernetesObject> ExampleObjects() =>
        Repo.ExampleStacks().SelectMany(stack => KubernetesObjects.Of(ProgramEmitter.Emit(Compiler.Compile(Stacks.Load(stack))))).ToList();

    private static List<string> StrictErrors(IEnumerable<KubernetesObjects.KubernetesObject> objects) =>
        objects.Select(o => KubernetesModels.StrictError(o.Token, o.Body.ToJsonString()) is { } error ? $"{o.Resource} ({o.Token}): {error}" : null).OfType<string>().ToList();

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private sealed record ModelResult(int Index, string Kind, List<string> Errors);

    private static List<ModelResult> RunKubernetesModels(IReadOnlyList<KubernetesObjects.KubernetesObject> objects)
    {
        var input = new JsonArray(objects.Select(o => (JsonNode)o.Body.DeepClone()).ToArray()).ToJsonString();
        var result = ProcessRunner.Run(ExternalTool.Require("node"), ["validate.mjs"], KubernetesModelsFactAttribute.Folder, timeout: TimeSpan.FromMinutes(2), input: input);
        result.ExitCode.Should().Be(0, result.Stderr);
        return JsonSerializer.Deserialize<List<ModelResult>>(result.Stdout, WebJson)!;
    }
}
