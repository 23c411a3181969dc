using HomeLab.Hooks;

using HomeLab.Tests.Support;

namespace HomeLab.Tests.Hooks;

/// <summary>
/// Runs only where an <c>ollama</c> binary is on PATH; otherwise it is skipped with the reason. Unlike the other
/// external tools this one is never required in CI (the issue says so): CI machines have no GPU and no registry access.
/// </summary>
public sealed class OllamaFactAttribute : FactAttribute
{
    public OllamaFactAttribute()
    {
        if (RealOllamaTests.Binary() is null)
        {
            Skip = "no 'ollama' binary on PATH: the hooks smoke test against a real Ollama needs one (the stand-in tests cover the same paths)";
        }
    }
}

public class RealOllamaTests
{
    public static string? Binary() => ExternalTool.Find("ollama");

    [OllamaFact]
    public async Task The_hooks_wait_for_a_real_ollama_verify_it_and_name_a_model_it_cannot_pull()
    {
        var port = FreePort.OnLoopback();
        var home = Directory.CreateTempSubdirectory("homelab-ollama-");
        var ollama = ProcessRunner.Serve(Binary()!, ["serve"], home.FullName, new Dictionary<string, string?>
        {
            ["OLLAMA_HOST"] = $"127.0.0.1:{port}",
            ["OLLAMA_MODELS"] = Path.Combine(home.FullName, "models"),
            ["HOME"] = home.FullName,
        });
        try
        {
            var run = await HookHarness.RunAsync(HookHarness.DirectStack("          - homelab-no-such-model:1b"), new Uri($"http://127.0.0.1:{port}/"));

            run.Report.OllamaVersion.Should().NotBeNullOrEmpty(ollama.Output);
            run.Report.Steps[0].Should().Match<StepReport>(s => s.Step == "wait" && s.Result == "ok");
            run.Report.Failures.Should().ContainSingle().Which.Should().StartWith("model 'homelab-no-such-model:1b': pull of 'homelab-no-such-model:1b':");
        }
        finally
        {
            await ollama.DisposeAsync();
            home.Delete(recursive: true);
        }
    }
}
