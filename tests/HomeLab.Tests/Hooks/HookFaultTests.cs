using HomeLab.Hooks;
using HomeLab.Tests.Hooks.StandIn;

using HomeLab.Tests.Support;

namespace HomeLab.Tests.Hooks;

/// <summary>Every fault gives bounded retries where they can help, then one line naming the model and the cause.</summary>
public class HookFaultTests
{
    private const string TwoModels = """
                  - llama3.2:1b
                  - qwen2.5:0.5b
        """;

    [Fact]
    public async Task Refused_connections_while_the_instance_starts_are_waited_out()
    {
        var port = FreePort.OnLoopback();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var run = HookHarness.RunAsync(HookHarness.DirectStack(TwoModels), url, [HookStep.Wait]);
        await Task.Delay(400);
        await using var ollama = await OllamaStandIn.StartAsync(port);

        var report = (await run).Report;

        report.Ok.Should().BeTrue(string.Join("\n", report.Failures));
        report.Steps.Single().Detail.Should().MatchRegex(@"^Ollama 0\.32\.15 answered after [0-9.]+m?s \(([2-9]|\d\d+) attempts\)$");
    }

    [Fact]
    public async Task An_instance_that_never_answers_fails_after_the_stacks_ready_timeout()
    {
        var port = FreePort.OnLoopback();

        var report = (await HookHarness.RunAsync(HookHarness.DirectStack(TwoModels, "readyTimeout: 1s"), new Uri($"http://127.0.0.1:{port}/"))).Report;

        report.Ok.Should().BeFalse();
        report.Failures.Should().ContainSingle().Which.Should()
            .StartWith($"instance 'ollama': Ollama at http://127.0.0.1:{port}/ did not answer within 1s (")
            .And.Contain($"last: asking for Ollama's version: cannot reach http://127.0.0.1:{port}/: Connection refused");
        report.Steps.Should().ContainSingle(s => s.Step == "wait" && s.Result == "failed");
    }

    [Fact]
    public async Task Passing_server_errors_are_retried()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("llama3.2:1b");
        ollama.Install("qwen2.5:0.5b");
        ollama.Faults.ServerErrorPath = "/api/tags";
        ollama.Faults.ServerErrors = 2;

        var run = await HookHarness.RunAsync(HookHarness.DirectStack(TwoModels), ollama.Url);

        run.Report.Ok.Should().BeTrue(string.Join("\n", run.Report.Failures));
        run.Log.Should().Contain("listing models: the server answered HTTP 500: llama runner process has terminated: exit status 2; retrying in");
    }

    [Fact]
    public async Task Persistent_server_errors_end_in_one_message_per_model_after_bounded_retries()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Publish("llama3.2:1b", 5_000_000);
        ollama.Install("qwen2.5:0.5b");
        ollama.Faults.ServerErrorPath = "/api/pull";
        ollama.Faults.ServerErrors = 1000;

        var report = (await HookHarness.RunAsync(HookHarness.DirectStack(TwoModels), ollama.Url)).Report;

        report.Failures.Should().ContainSingle().Which.Should().Be(
            "model 'llama3.2:1b': pull of 'llama3.2:1b': the server answered HTTP 500: llama runner process has terminated: exit status 2 (gave up after 3 attempts)");
        report.Models.Single(m => m.Name == "llama3.2:1b").Should().Match<ModelReport>(m => m.State == "failed" && m.PullAttempts == 3);
        report.Checks.Should().Contain(c => c.Model == "qwen2.5:0.5b" && c.Ok, "the other model is still verified");
    }

    [Fact]
    public async Task An_error_line_in_a_200_stream_is_retried_and_the_pull_resumes_where_it_stopped()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Faults.ChunkBytes = 1_000_000;
        ollama.Publish("llama3.2:1b", 10_000_000);
        ollama.Publish("qwen2.5:0.5b", 4_000_000);
        ollama.Faults.ErrorMidStream["llama3.2:1b"] = 1;

        var run = await HookHarness.RunAsync(HookHarness.DirectStack(TwoModels), ollama.Url);

        run.Report.Ok.Should().BeTrue(string.Join("\n", run.Report.Failures));
        run.Report.Models.Single(m => m.Name == "llama3.2:1b").Should().Match<ModelReport>(m => m.State == "pulled" && m.PullAttempts == 2 && m.BytesPulled == 10_000_000);
        var attempts = ollama.PullAttempts.Where(p => p.Model == "llama3.2:1b").ToList();
        attempts.Should().HaveCount(2);
        attempts[1].StartOffset.Should().BeGreaterThanOrEqualTo(5_000_000, "the retry asks for the same pull and Ollama resumes the partial blob");
        run.Log.Should().Contain("pull of 'llama3.2:1b': Ollama reported 'max retries exceeded: unexpected EOF'; retrying in");
    }

    [Fact]
    public async Task A_model_whose_stream_always_ends_in_an_error_fails_alone_and_its_dependents_say_why()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Publish("llama3.2:1b", 6_000_000);
        ollama.Publish("qwen2.5:0.5b", 4_000_000);
        ollama.Faults.ErrorMidStream["qwen2.5:0.5b"] = 1000;
        var models = TwoModels + "\n" + """
                      - name: helper
                        from: qwen2.5:0.5b
                        system: Be brief.
            """;

        var report = (await HookHarness.RunAsync(HookHarness.DirectStack(models), ollama.Url)).Report;

        const string Pull = "model 'qwen2.5:0.5b': pull of 'qwen2.5:0.5b': Ollama reported 'max retries exceeded: unexpected EOF' (gave up after 3 attempts)";
        report.Failures.Should().Equal(Pull, $"model 'helper': cannot create it because its base 'qwen2.5:0.5b' is not present ({Pull})");
        report.Models.Single(m => m.Name == "llama3.2:1b").State.Should().Be("pulled", "one model failing does not stop the others");
        ollama.InstalledModels.Should().Contain("llama3.2:1b");
    }

    [Fact]
    public async Task A_stalled_stream_is_cancelled_and_retried()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Faults.ChunkBytes = 1_000_000;
        ollama.Publish("llama3.2:1b", 4_000_000);
        ollama.Install("qwen2.5:0.5b");
        ollama.Faults.StallMidStream["llama3.2:1b"] = 1;

        var run = await HookHarness.RunAsync(HookHarness.DirectStack(TwoModels), ollama.Url);

        run.Report.Ok.Should().BeTrue(string.Join("\n", run.Report.Failures));
        run.Log.Should().Contain("pull of 'llama3.2:1b': the stream stalled (no data for 1s); retrying in");
        ollama.PullAttempts.Where(p => p.Model == "llama3.2:1b").Last().StartOffset.Should().BePositive();
    }

    [Fact]
    public async Task A_stream_that_keeps_stalling_fails_with_the_cause()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Publish("llama3.2:1b", 4_000_000);
        ollama.Install("qwen2.5:0.5b");
        ollama.Faults.ChunkBytes = 1_000_000;
        ollama.Faults.StallMidStream["llama3.2:1b"] = 1000;

        var report = (await HookHarness.RunAsync(HookHarness.DirectStack(TwoModels), ollama.Url)).Report;

        report.Failures.Should().Equal("model 'llama3.2:1b': pull of 'llama3.2:1b': the stream stalled (no data for 1s) (gave up after 3 attempts)");
    }

    [Fact]
    public async Task A_connection_cut_mid_pull_is_retried()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Faults.ChunkBytes = 1_000_000;
        ollama.Publish("llama3.2:1b", 4_000_000);
        ollama.Install("qwen2.5:0.5b");
        ollama.Faults.DropMidStream["llama3.2:1b"] = 1;

        var run = await HookHarness.RunAsync(HookHarness.DirectStack(TwoModels), ollama.Url);

        run.Report.Ok.Should().BeTrue(string.Join("\n", run.Report.Failures));
        run.Report.Models.Single(m => m.Name == "llama3.2:1b").PullAttempts.Should().Be(2);
    }

    [Fact]
    public async Task A_model_the_registry_does_not_know_fails_at_once_with_a_hint()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("llama3.2:1b");

        var report = (await HookHarness.RunAsync(HookHarness.DirectStack("""
                      - llama3.2:1b
                      - lama3.2:1b
            """), ollama.Url)).Report;

        report.Failures.Should().Equal(
            "model 'lama3.2:1b': pull of 'lama3.2:1b': Ollama reported 'pull model manifest: file does not exist' — the registry has no model by that name; check its name and tag in the stack file");
        report.Models.Single(m => m.Name == "lama3.2:1b").PullAttempts.Should().Be(1, "retrying cannot make the model exist");
    }

    [Fact]
    public async Task A_generation_that_keeps_failing_fails_verification_of_that_model()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("llama3.2:1b");
        ollama.Faults.ServerErrorPath = "/api/generate";
        ollama.Faults.ServerErrors = 1000;

        var report = (await HookHarness.RunAsync(HookHarness.DirectStack("          - llama3.2:1b"), ollama.Url)).Report;

        report.Failures.Should().Equal(
            "model 'llama3.2:1b': check failed: answers a one-token generation: a one-token generation with 'llama3.2:1b': the server answered HTTP 500: llama runner process has terminated: exit status 2");
    }

    [Fact]
    public async Task Through_the_proxy_a_bare_request_is_refused_and_the_credential_accepted()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.RequiredCredential = ("Authorization", "Bearer " + HookHarness.Secret);
        ollama.Install("llama3.2:1b");

        var run = await HookHarness.RunAsync(HookHarness.ProxiedStack(), ollama.Url);

        run.Report.Ok.Should().BeTrue(string.Join("\n", run.Report.Failures));
        run.Report.Via.Should().Be("proxy");
        run.Report.Checks.Should().Contain(new CheckReport("the proxy refuses a request without credentials", null, true, "HTTP 401"));
        ollama.Requests.Where(r => r.Path != "/api/tags").Should().OnlyContain(r => r.Authenticated);
    }

    [Fact]
    public async Task An_api_key_in_its_header_is_presented_when_the_proxy_has_no_bearer_tokens()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.RequiredCredential = ("X-API-Key", HookHarness.Secret);
        ollama.Install("llama3.2:1b");
        var stack = HookHarness.ProxiedStack().Replace("bearerTokens: [labToken]", "apiKeys: { header: X-API-Key, keys: [labKey] }", StringComparison.Ordinal);

        var run = await HookHarness.RunAsync(stack, ollama.Url);

        run.Report.Ok.Should().BeTrue(string.Join("\n", run.Report.Failures));
        HookPlan.For(HookHarness.Parse(stack), HookHarness.Parse(stack).Instances[0]).Credential!.Variable.Should().Be("HOMELAB_APIKEY_labKey");
    }

    [Fact]
    public async Task A_proxy_that_lets_bare_requests_through_fails_verification()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Install("llama3.2:1b");

        var report = (await HookHarness.RunAsync(HookHarness.ProxiedStack(), ollama.Url)).Report;

        report.Failures.Should().Equal("check failed: the proxy refuses a request without credentials: HTTP 200");
    }

    [Fact]
    public async Task A_wrong_secret_stops_the_run_with_one_message_naming_the_secret_but_never_its_value()
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.RequiredCredential = ("Authorization", "Bearer the-deployed-token");
        ollama.Faults.EchoCredential = true;
        ollama.Install("llama3.2:1b");

        var run = await HookHarness.RunAsync(HookHarness.ProxiedStack(), ollama.Url);

        run.Report.Failures.Should().Equal(
            "asking for Ollama's version: the proxy refused the credential in HOMELAB_BEARER_labToken (secret config 'labToken') (HTTP 401); it does not match the one the proxy was deployed with");
        run.Report.Steps.Should().ContainSingle().Which.Result.Should().Be("failed");
        var everything = run.Log + new HooksReport("lab", false, [run.Report]).ToJson();
        everything.Should().NotContain(HookHarness.Secret);
        ollama.Requests.Should().ContainSingle("a refused credential is not retried");
    }
}
