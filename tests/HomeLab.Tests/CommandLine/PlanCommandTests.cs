using HomeLab.Tests.Support;

namespace HomeLab.Tests.CommandLine;

public class PlanCommandTests
{
    [Fact]
    public void Plan_piped_is_plain_text_showing_hosts_instances_models_and_the_proxy()
    {
        var result = ProcessRunner.Homelab(Repo.Root, null, "plan", "gpu-box");

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().NotContain("\u001b[", "piped output must carry no colour codes")
            .And.Contain("gpu-box").And.Contain("ollama-a").And.Contain("reviewer (chat from qwen2.5-coder:7b)")
            .And.Contain("https://ollama.home.arpa").And.Contain("ollama-a, ollama-b (leastconn)")
            .And.Contain("docker:Container");
    }
}
