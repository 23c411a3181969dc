using System.Globalization;
using System.Text.Json;

using FsCheck;
using FsCheck.Fluent;

using HomeLab.Contracts;
using HomeLab.Modules;
using HomeLab.Modules.Docker;
using HomeLab.Program;
using HomeLab.Tests.ProgramValidation;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.ReadBack;

/// <summary>
/// A second 'pulumi up' on an unchanged stack changes nothing: every value a compiled program gives the providers is
/// the value they store after create and refresh, so their diff is empty and no container is replaced.
/// </summary>
public class FixedPointTests
{
    public static TheoryData<string> ExampleStacks() => new(Repo.ExampleStacks());

    [Theory]
    [MemberData(nameof(ExampleStacks))]
    public void Every_example_program_is_what_the_providers_read_back(string stack)
    {
        var program = ProgramEmitter.Emit(Compiler.Compile(Stacks.Load(stack)));

        ProviderReadBack.Drifts(program).Should().BeEmpty();
    }

    [Fact]
    public void Every_generated_program_is_what_the_providers_read_back()
    {
        var property = Prop.ForAll(StackGenerator.Stacks(), yaml =>
        {
            var program = ProgramEmitter.Emit(Compiler.Compile(Stacks.Parse(yaml, StackGenerator.StackName)));
            var drifts = ProviderReadBack.Drifts(program);
            drifts.Should().BeEmpty("--- stack ---\n{0}", yaml);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), property);
    }

    [Fact]
    public void The_forms_the_compiler_emitted_before_are_not_fixed_points_so_the_model_can_tell()
    {
        var program = ProgramEmitter.Emit(Compiler.Compile(Stacks.Load("local")))
            .Replace("cpus: \"2.0\"", "cpus: \"2\"", StringComparison.Ordinal)
            .Replace("startPeriod: 1m0s", "startPeriod: 60s", StringComparison.Ordinal);

        ProviderReadBack.Drifts(program).Select(d => d.ToString()).Should().BeEquivalentTo(
            "ollama-container (docker:Container).cpus: emitted \"2\", stored \"2.0\"",
            "ollama-container (docker:Container).healthcheck: emitted " + HealthcheckWithStartPeriod("60s") + ", stored " + HealthcheckWithStartPeriod("1m0s"));
    }

    /// <summary>
    /// The front end's one-shot data owner exits during create: left to must_run's default, every refresh would find it
    /// stopped and plan to start it again; and a capability written as Docker does not store it would diff forever.
    /// </summary>
    [Fact]
    public void A_one_shot_left_to_must_run_or_a_capability_docker_renames_is_not_a_fixed_point_so_the_model_can_tell()
    {
        var program = ProgramEmitter.Emit(Compiler.Compile(Stacks.Load("gpu-box")));
        program.Should().Contain("      mustRun: false\n").And.Contain("        - CAP_CHOWN\n");

        ProviderReadBack.Drifts(program.Replace("      mustRun: false\n", "", StringComparison.Ordinal).Replace("        - CAP_CHOWN\n", "        - chown\n", StringComparison.Ordinal))
            .Select(d => d.ToString()).Should().BeEquivalentTo(
                "webui-data-owner (docker:Container).mustRun: emitted \"true\", stored \"false\"",
                "webui-data-owner (docker:Container).capabilities: emitted {adds:[\"chown\",\"CAP_DAC_READ_SEARCH\"],drops:[\"ALL\"]}, stored {adds:[\"CAP_CHOWN\",\"CAP_DAC_READ_SEARCH\"],drops:[\"ALL\"]}");
    }

    [Fact]
    public void A_quantity_the_API_server_would_rewrite_is_not_a_fixed_point_so_the_model_can_tell()
    {
        var program = ProgramEmitter.Emit(Compiler.Compile(Stacks.Load("k3s")));
        program.Should().Contain("memory: 24Gi");

        ProviderReadBack.Drifts(program.Replace("memory: 24Gi", "memory: 24576Mi", StringComparison.Ordinal)).Select(d => d.Property)
            .Should().Contain("spec", "the API server stores 24576Mi as 24Gi (apimachinery Quantity.CanonicalizeBytes), so the provider would diff");
    }

    [Theory]
    [InlineData("4", "4.0")]
    [InlineData("0.5", "0.5")]
    [InlineData("1.5", "1.5")]
    [InlineData("2.25", "2.25")]
    [InlineData("10", "10.")]
    [InlineData("16", "16.0")]
    [InlineData("100", "100.")]
    [InlineData("0.01", "0.0")]
    [InlineData("10.05", "10.1")]
    [InlineData("0.125", "0.125")]
    public void The_model_prints_nano_cpus_as_nanoInt64ToDecimalString_does(string cpus, string stored) =>
        GoForms.NanoInt64ToDecimalString(GoForms.ParseCpus(cpus)!.Value).Should().Be(stored);

    [Theory]
    [InlineData("30s", "30s")]
    [InlineData("60s", "1m0s")]
    [InlineData("90m", "1h30m0s")]
    [InlineData("1.5s", "1.5s")]
    [InlineData("500ms", "500ms")]
    [InlineData("0s", "0s")]
    [InlineData("2h", "2h0m0s")]
    public void The_model_prints_durations_as_Go_does(string given, string stored) =>
        GoForms.DurationString(GoForms.ParseDurationNanos(given)!.Value).Should().Be(stored);

    /// <summary>The product's emitter and the model agree on every CPU limit a stack can give, 0.01 to 64 in steps of 0.01.</summary>
    [Fact]
    public void The_compiler_emits_cpus_exactly_when_the_provider_keeps_them_and_in_its_form()
    {
        for (var hundredths = 1; hundredths <= 6400; hundredths++)
        {
            var cpus = hundredths / 100.0;
            var text = cpus.ToString("R", CultureInfo.InvariantCulture);
            var nanos = GoForms.ParseCpus(text)!.Value;
            var stored = GoForms.NanoInt64ToDecimalString(nanos);
            var kept = GoForms.ParseCpus(stored) == nanos;

            ProviderBehaviour.Cpus(cpus).Should().Be(kept ? stored : null, "cpus {0}", text);
        }
    }

    [Fact]
    public void Healthcheck_durations_are_emitted_in_Gos_form() =>
        new[] { 0, 1, 30, 59, 60, 61, 90 * 60, 3600, 7322 }.Should().AllSatisfy(seconds =>
            ProviderBehaviour.GoDuration(TimeSpan.FromSeconds(seconds)).Should().Be(GoForms.DurationString(seconds * 1_000_000_000L)));

    [Fact]
    public void A_changed_healthcheck_reaches_the_container_because_its_digest_is_in_a_label_that_forces_replacement()
    {
        var container = EmittedProgram.Resources(ProgramEmitter.Emit(Compiler.Compile(Stacks.Load("local")))).Single(r => r.Name == "ollama-container");
        var labels = Tree.List(container.Properties["labels"]).Select(Tree.Map).ToDictionary(l => Tree.Text(l["label"]), l => Tree.Text(l["value"]));

        labels[HomeLab.Conventions.ResourceLabels.Healthcheck].Should().Be(DockerOllama.HealthcheckDigest);
        ProviderBehaviour.EffectOfChange("docker:Container", "healthcheck").Should().Be(ChangeEffect.StateOnly);
        ProviderBehaviour.EffectOfChange("docker:Container", "labels").Should().Be(ChangeEffect.Replace);
    }

    /// <summary>The product's replacement table agrees with the schema's willReplaceOnChanges (the bridge's ForceNew) for every container property the compiler emits.</summary>
    [Fact]
    public void What_forces_a_container_replacement_matches_the_provider_schema()
    {
        // The committed digest of the Docker provider's schema carries its willReplaceOnChanges flags.
        var container = ProviderContract.Docker.Resources["docker:index/container:Container"];
        var emitted = Repo.ExampleStacks()
            .SelectMany(s => EmittedProgram.Resources(ProgramEmitter.Emit(Compiler.Compile(Stacks.Load(s)))))
            .Where(r => r.Type == "docker:Container")
            .SelectMany(r => r.Properties.Keys)
            .Distinct()
            .ToList();

        emitted.Should().Contain(["cpus", "healthcheck", "labels", "memory"]);
        foreach (var property in emitted)
        {
            var replaces = container.Input(property) is { } spec && spec.TryGetProperty("replaceOnChanges", out var flag) && flag.GetBoolean();
            var effect = ProviderBehaviour.EffectOfChange("docker:Container", property);
            effect.Should().NotBeNull("every emitted property has a known effect ({0})", property);
            (effect == ChangeEffect.Replace).Should().Be(replaces, "{0}: willReplaceOnChanges={1}", property, replaces);
        }
    }

    private static string HealthcheckWithStartPeriod(string startPeriod) =>
        $"{{interval:\"30s\",retries:\"3\",startInterval:\"0s\",startPeriod:\"{startPeriod}\",tests:[\"CMD\",\"ollama\",\"list\"],timeout:\"10s\"}}";
}
