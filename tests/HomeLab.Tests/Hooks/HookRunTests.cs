using System.Text.Json;
using System.Text.Json.Nodes;

using HomeLab.Cli.Views;
using HomeLab.Hooks;
using HomeLab.Ollama;
using HomeLab.Tests.Hooks.StandIn;

namespace HomeLab.Tests.Hooks;

public class HookRunTests
{
    [Fact]
    public async Task A_fresh_instance_gets_its_models_pulled_created_warmed_and_verified()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Publish("llama3.2", 2_019_377_376);
        ollama.Publish("qwen2.5-coder:7b", 700_000_000, parameters: new Dictionary<string, JsonNode> { ["stop"] = new JsonArray("<|im_end|>") });
        ollama.Install("nomic-embed-text:latest", "embedding");

        var run = await HookHarness.RunAsync(HookHarness.DirectStack(), ollama.Url);

        run.Report.Failures.Should().BeEmpty();
        run.Report.Ok.Should().BeTrue();
        run.Report.OllamaVersion.Should().Be("0.32.15");
        run.Report.Steps.Select(s => (s.Step, s.Result)).Should().Equal(("wait", "ok"), ("pull", "ok"), ("create", "ok"), ("remove", "skipped"), ("verify", "ok"), ("warm", "ok"));
        var models = run.Report.Models.ToDictionary(m => m.Name);
        models["llama3.2"].Should().Match<ModelReport>(m => m.State == "pulled" && m.BytesPulled == 2_019_377_376 && m.PullAttempts == 1 && m.Warm && m.Declared);
        models["nomic-embed-text"].Should().Match<ModelReport>(m => m.State == "present" && m.BytesPulled == 0 && m.Kind == "embedding" && m.EmbeddingLength == 8);
        models["qwen2.5-coder:7b"].Should().Match<ModelReport>(m => m.State == "pulled" && !m.Declared);
        models["reviewer"].Should().Match<ModelReport>(m => m.State == "created" && m.Custom && m.Definition!.StartsWith("sha256:"));
        // Ollama's timings: the stand-in reports 1 token in 20ms and 12 prompt tokens in 6ms; verify paid the 1.25s load.
        models["llama3.2"].TokensPerSecond.Should().Be(50);
        models["llama3.2"].PromptTokensPerSecond.Should().Be(2000);
        models["llama3.2"].LoadMs.Should().Be(1250, "verify loads every model first; the warm-up after it finds llama3.2 still loaded");
        models["llama3.2"].WarmMs.Should().NotBeNull();
        models["reviewer"].LoadMs.Should().Be(1250);
        run.Report.Checks.Should().OnlyContain(c => c.Ok).And.Contain(c => c.Check == "loaded after warm-up" && c.Model == "llama3.2")
            .And.Contain(c => c.Check == "/v1/models lists every declared model");
        ollama.PullAttempts.Select(p => p.Model).Should().BeEquivalentTo(["llama3.2:latest", "qwen2.5-coder:7b"], "nomic-embed-text was already there");

        var create = ollama.RequestsTo("/api/create").Should().ContainSingle().Subject.Body!;
        create["model"]!.GetValue<string>().Should().Be("reviewer");
        create["from"]!.GetValue<string>().Should().Be("qwen2.5-coder:7b");
        create["system"]!.GetValue<string>().Should().Be("You review pull requests.");
        create["parameters"]!["temperature"]!.GetValueKind().Should().Be(JsonValueKind.Number, "Ollama rejects parameters given as strings");
        create["parameters"]!["num_ctx"]!.GetValue<long>().Should().Be(8192);

        var warm = ollama.RequestsTo("/api/generate").First(r => r.Body!["prompt"] is null && r.Body!["keep_alive"]?.GetValue<string>() != "0").Body!;
        warm["model"]!.GetValue<string>().Should().Be("llama3.2");
        warm["keep_alive"]!.GetValue<string>().Should().Be("10m", "warm models stay loaded for the instance's keep-alive");
        var verify = ollama.RequestsTo("/api/generate").First(r => r.Body!["prompt"] is not null && r.Body!["model"]!.GetValue<string>() == "llama3.2").Body!;
        verify["options"]!["num_predict"]!.GetValue<long>().Should().Be(1);
        ollama.InstalledModels.Should().BeEquivalentTo(["llama3.2:latest", "nomic-embed-text:latest", "qwen2.5-coder:7b", "reviewer:latest"]);
    }

    [Fact]
    public async Task The_report_is_json_with_per_model_state_bytes_durations_and_timings()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Publish("llama3.2", 3_000_000);
        ollama.Install("qwen2.5-coder:7b");
        ollama.Install("nomic-embed-text", "embedding");

        var run = await HookHarness.RunAsync(HookHarness.DirectStack(), ollama.Url);
        var json = JsonNode.Parse(new HooksReport("lab", run.Report.Ok, [run.Report]).ToJson())!;

        json["stack"]!.GetValue<string>().Should().Be("lab");
        json["ok"]!.GetValue<bool>().Should().BeTrue();
        var instance = json["instances"]![0]!;
        instance["instance"]!.GetValue<string>().Should().Be("ollama");
        instance["via"]!.GetValue<string>().Should().Be("direct");
        var llama = instance["models"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "llama3.2")!;
        llama["state"]!.GetValue<string>().Should().Be("pulled");
        llama["bytesPulled"]!.GetValue<long>().Should().Be(3_000_000);
        llama["pullMs"]!.GetValue<double>().Should().BePositive();
        llama["warmMs"]!.GetValue<double>().Should().BePositive();
        llama["tokensPerSecond"]!.GetValue<double>().Should().Be(50);
        instance["steps"]!.AsArray().Select(s => s!["step"]!.GetValue<string>()).Should().Equal("wait", "pull", "create", "remove", "verify", "warm");
        instance["checks"]!.AsArray().Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_second_run_changes_nothing_and_a_changed_definition_recreates_the_custom_model()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("llama3.2");
        ollama.Install("nomic-embed-text", "embedding");
        ollama.Publish("qwen2.5-coder:7b", 5_000_000, system: "You are Qwen.", parameters: new Dictionary<string, JsonNode> { ["stop"] = new JsonArray("<|im_start|>", "<|im_end|>"), ["temperature"] = 0.7 });

        (await HookHarness.RunAsync(HookHarness.DirectStack(), ollama.Url)).Report.Ok.Should().BeTrue();
        var again = await HookHarness.RunAsync(HookHarness.DirectStack(), ollama.Url);

        again.Report.Ok.Should().BeTrue();
        again.Report.Models.Single(m => m.Name == "reviewer").State.Should().Be("unchanged");
        ollama.CreateCount("reviewer").Should().Be(1);
        ollama.PullAttempts.Should().HaveCount(1, "the second run found everything present");

        var changed = HookHarness.DirectStack(HookHarness.DefaultModels.Replace("temperature: 0.2", "temperature: 0.4", StringComparison.Ordinal));
        var third = await HookHarness.RunAsync(changed, ollama.Url);

        var reviewer = third.Report.Models.Single(m => m.Name == "reviewer");
        reviewer.State.Should().Be("recreated");
        reviewer.RecreatedBecause.Should().Be("parameter temperature is 0.2, declared 0.4");
        ollama.CreateCount("reviewer").Should().Be(2);

        var systemChanged = changed.Replace("You review pull requests.", "You review commits.", StringComparison.Ordinal);
        (await HookHarness.RunAsync(systemChanged, ollama.Url)).Report.Models.Single(m => m.Name == "reviewer").RecreatedBecause.Should().Be("its system prompt differs");
    }

    [Fact]
    public async Task A_custom_model_built_on_a_different_base_is_recreated()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("llama3.2");
        ollama.Install("nomic-embed-text", "embedding");
        ollama.Install("qwen2.5-coder:7b");
        ollama.Install("qwen2.5-coder:14b");
        (await HookHarness.RunAsync(HookHarness.DirectStack(), ollama.Url)).Report.Ok.Should().BeTrue();

        var rebased = HookHarness.DirectStack(HookHarness.DefaultModels.Replace("qwen2.5-coder:7b", "qwen2.5-coder:14b", StringComparison.Ordinal));
        var run = await HookHarness.RunAsync(rebased, ollama.Url);

        run.Report.Models.Single(m => m.Name == "reviewer").RecreatedBecause.Should().Be("it is built from 'qwen2.5-coder:7b', not 'qwen2.5-coder:14b'");
    }

    [Fact]
    public async Task Llama3_2_and_llama3_2_latest_are_the_same_model()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("llama3.2:latest");
        ollama.Install("qwen2.5-coder");
        var models = """
                  - name: llama3.2
                    warm: true
                  - qwen2.5-coder:latest
            """;

        var run = await HookHarness.RunAsync(HookHarness.DirectStack(models), ollama.Url);

        run.Report.Ok.Should().BeTrue(string.Join("\n", run.Report.Failures));
        run.Report.Models.Select(m => (m.Name, m.State)).Should().BeEquivalentTo([("llama3.2", "present"), ("qwen2.5-coder:latest", "present")]);
        ollama.PullAttempts.Should().BeEmpty();
    }

    [Fact]
    public async Task Undeclared_models_stay_unless_the_instance_opts_in_and_bases_of_custom_models_are_kept()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("llama3.2");
        ollama.Install("nomic-embed-text", "embedding");
        ollama.Install("qwen2.5-coder:7b");
        ollama.Install("mistral:7b");
        ollama.Install("phi3:mini");

        var kept = await HookHarness.RunAsync(HookHarness.DirectStack(), ollama.Url);

        kept.Report.Steps.Single(s => s.Step == "remove").Should().Match<StepReport>(s => s.Result == "skipped" && s.Detail == "removeUndeclared is off for this instance");
        ollama.InstalledModels.Should().Contain(["mistral:7b", "phi3:mini"]);

        var removing = await HookHarness.RunAsync(HookHarness.DirectStack(removeUndeclared: true), ollama.Url);

        removing.Report.Ok.Should().BeTrue(string.Join("\n", removing.Report.Failures));
        removing.Report.Removed.Should().Equal("mistral:7b", "phi3:mini");
        ollama.InstalledModels.Should().BeEquivalentTo(["llama3.2:latest", "nomic-embed-text:latest", "qwen2.5-coder:7b", "reviewer:latest"], "the base of 'reviewer' is kept though not declared");
    }

    [Fact]
    public async Task Pulls_run_in_parallel_but_never_more_than_pullConcurrency_at_once()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Faults.ChunkBytes = 1 << 20;
        ollama.Faults.ChunkDelay = TimeSpan.FromMilliseconds(5);
        var models = string.Join("\n", Enumerable.Range(1, 5).Select(i => $"          - model-{i}:1b"));
        foreach (var i in Enumerable.Range(1, 5))
        {
            ollama.Publish($"model-{i}:1b", 12 << 20);
        }

        var run = await HookHarness.RunAsync(HookHarness.DirectStack(models, "readyTimeout: 10s, pullConcurrency: 2"), ollama.Url, [HookStep.Pull]);

        run.Report.Models.Should().OnlyContain(m => m.State == "pulled");
        ollama.MaxConcurrentPulls.Should().Be(2);
    }

    [Fact]
    public async Task Without_a_terminal_pull_progress_is_printed_as_periodic_plain_lines()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Faults.ChunkBytes = 1 << 20;
        ollama.Faults.ChunkDelay = TimeSpan.FromMilliseconds(20);
        ollama.Publish("llama3.2:1b", 16 << 20);

        var run = await HookHarness.RunAsync(HookHarness.DirectStack("          - llama3.2:1b"), ollama.Url, [HookStep.Pull]);

        run.Log.Should().MatchRegex(@"pull llama3\.2:1b: \d+% [0-9.]+ MB/16\.8 MB");
        run.Log.Should().Contain("pull llama3.2:1b: pulled 16.8 MB in");
        run.Log.Should().NotContain("\u001b[", "no terminal control codes when output is captured");
    }

    [Fact]
    public async Task On_a_terminal_pull_progress_is_drawn_as_live_bars()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Faults.ChunkBytes = 1 << 20;
        ollama.Faults.ChunkDelay = TimeSpan.FromMilliseconds(20);
        ollama.Publish("llama3.2:1b", 8 << 20);
        var terminal = new StringWriter();
        var console = HookConsoles.Create(terminal, terminal: true, text => text);
        var spec = HookHarness.Parse(HookHarness.DirectStack("          - llama3.2:1b"));
        var plan = HookPlan.For(spec, spec.Instances[0]) with { BaseUrl = ollama.Url };
        using var handler = OllamaHttp.CreateHandler();
        using var connection = new OllamaConnection(handler, plan.Endpoint(null), HookHarness.Fast.RequestTimeout);

        var report = await new HookRunner(connection, plan, HookHarness.Fast, console)
            .RunAsync(new HashSet<HookStep> { HookStep.Wait, HookStep.Pull }, CancellationToken.None);

        report.Ok.Should().BeTrue();
        var drawn = terminal.ToString();
        drawn.Should().Contain("\u001b[", "a terminal gets a live display").And.Contain("llama3.2:1b: pulled 8.4 MB").And.Contain("100%");
    }

    [Fact]
    public async Task Only_verify_checks_without_changing_anything_and_fails_on_what_is_missing()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("llama3.2");
        ollama.Install("nomic-embed-text", "embedding");
        ollama.Publish("qwen2.5-coder:7b", 1_000_000);

        var run = await HookHarness.RunAsync(HookHarness.DirectStack(), ollama.Url, [HookStep.Verify]);

        run.Report.Ok.Should().BeFalse();
        run.Report.Failures.Should().Equal("model 'reviewer': not present on the instance (the create step was not selected)");
        run.Report.Checks.Should().Contain(new CheckReport("listed", "reviewer", false, "not in /api/tags"));
        ollama.PullAttempts.Should().BeEmpty();
        ollama.RequestsTo("/api/create").Should().BeEmpty();
    }

    [Fact]
    public async Task A_model_Ollama_lists_but_the_OpenAI_API_does_not_fails_verification()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("llama3.2:1b");
        ollama.Install("qwen2.5:0.5b");
        ollama.Faults.HiddenFromOpenAi["qwen2.5:0.5b"] = true;

        var run = await HookHarness.RunAsync(HookHarness.DirectStack("          - llama3.2:1b\n          - qwen2.5:0.5b"), ollama.Url, [HookStep.Verify]);

        run.Report.Failures.Should().Equal("check failed: /v1/models lists every declared model: missing: qwen2.5:0.5b");
    }

    [Fact]
    public async Task An_embedding_model_that_returns_an_empty_vector_fails_verification()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("nomic-embed-text", "embedding");
        ollama.Faults.EmptyEmbeddings["nomic-embed-text:latest"] = true;

        var run = await HookHarness.RunAsync(HookHarness.DirectStack("          - nomic-embed-text"), ollama.Url);

        run.Report.Ok.Should().BeFalse();
        run.Report.Failures.Should().Equal("model 'nomic-embed-text': check failed: returns an embedding: the embedding came back empty");
    }
}
