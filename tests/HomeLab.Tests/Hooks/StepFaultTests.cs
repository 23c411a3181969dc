using System.Text.Json.Nodes;

using HomeLab.Tests.Hooks.StandIn;

namespace HomeLab.Tests.Hooks;

/// <summary>
/// A fault injected at each step — the connection closed with no answer (Ollama restarting) or a 500 every time —
/// ends the command in plain messages and the JSON report, never a stack trace.
/// </summary>
public class StepFaultTests
{
    private const string Models = """
                  - name: llama3.2:1b
                    warm: true
                  - name: bot
                    from: llama3.2:1b
                    system: Be brief.
                  - nomic-embed-text
        """;

    public static TheoryData<string, string, bool> Faults() => new()
    {
        { "wait", "/api/version", true },
        { "list", "/api/tags", true },
        { "list", "/api/tags", false },
        { "pull", "/api/pull", true },
        { "pull", "/api/pull", false },
        { "create", "/api/show", true },
        { "create", "/api/create", false },
        { "remove", "/api/delete", true },
        { "verify", "/api/generate", true },
        { "verify", "/api/embed", false },
        { "verify", "/v1/models", true },
        { "warm", "/api/ps", true },
        { "warm", "/api/ps", false },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_fault_at_any_step_ends_in_messages_and_the_report(string step, string path, bool cut)
    {
        await using var ollama = await OllamaStandIn.StartAsync();
        ollama.Publish("llama3.2:1b", 2_000_000);
        ollama.Install("nomic-embed-text", "embedding");
        ollama.Install("undeclared:1");
        if (step is not "pull")
        {
            ollama.Install("llama3.2:1b");
        }

        if (cut)
        {
            ollama.Faults.CutConnection[path] = 1000;
        }
        else
        {
            ollama.Faults.ServerErrorPath = path;
            ollama.Faults.ServerErrors = 1000;
        }

        var stack = HookHarness.DirectStack(Models, "readyTimeout: 1s, stallTimeout: 1s", removeUndeclared: true);

        var run = await HookHarness.CliAsync(stack, ollama.Url);

        run.ExitCode.Should().Be(1, run.Stderr);
        var report = JsonNode.Parse(run.Stdout)!["instances"]![0]!;
        report["ok"]!.GetValue<bool>().Should().BeFalse();
        var failures = report["failures"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        failures.Should().NotBeEmpty().And.OnlyContain(f => f.Length > 0 && !f.Contains('\n'));
        var cause = path.TrimStart('/').Replace("api/", "", StringComparison.Ordinal) switch
        {
            "version" => "did not answer within 1s",
            "tags" => "listing models",
            "pull" => "pull of 'llama3.2:1b'",
            "show" or "create" => "model 'bot'",
            "delete" => "could not remove it",
            "generate" => "one-token generation",
            "embed" => "an embedding with 'nomic-embed-text'",
            "v1/models" => "OpenAI-compatible API",
            _ => "loaded models",
        };
        failures.Should().Contain(f => f.Contains(cause, StringComparison.Ordinal));
        run.Stderr.Should().NotContain("   at ").And.NotContain("Exception");
        run.Stderr.TrimEnd().Split('\n')[^1].Should().StartWith("homelab hooks: lab/ollama: ");
    }
}
