using HomeLab.Deploy;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Deploy;

public class UpWithoutPulumiTests
{
    [Fact]
    public void Homelab_up_local_without_pulumi_on_path_exits_2_with_the_install_hint()
    {
        using var repo = TempRepo.WithExamples();
        var emptyPath = Directory.CreateTempSubdirectory("homelab-path-").FullName;

        var result = ProcessRunner.Homelab(repo.Root, new Dictionary<string, string?> { ["PATH"] = emptyPath, ["PULUMI_CONFIG_PASSPHRASE"] = "x" }, "up", "local");

        result.ExitCode.Should().Be(2, result.Stderr);
        result.Stderr.Should().Contain($"the Pulumi CLI: 'pulumi' is not on PATH — {Prerequisites.PulumiInstall}");
        result.Stderr.Should().NotContain("   at ", "an operator sees messages, not a stack trace");
        Directory.Exists(Path.Combine(repo.Root, ".pulumi")).Should().BeFalse();
        Directory.Delete(emptyPath);
    }
}
