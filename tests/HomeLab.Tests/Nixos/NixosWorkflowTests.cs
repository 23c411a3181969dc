using System.Text.RegularExpressions;

using HomeLab.Tests.Workflows;

namespace HomeLab.Tests.Nixos;

/// <summary>The forges run the NixOS module tests against real nixpkgs too: pinned by commit, found through NIX_PATH.</summary>
public partial class NixosWorkflowTests
{
    public static TheoryData<string> Forges() => new(Workflow.Forges);

    private static Step NixpkgsStep(string forge) =>
        Workflow.On(forge, "pull_request").Jobs["build"].Steps.Should().ContainSingle(s => s.Env.ContainsKey("NIXPKGS_COMMIT")).Which;

    [Theory]
    [MemberData(nameof(Forges))]
    public void The_build_job_puts_nixpkgs_pinned_by_commit_on_NIX_PATH_before_the_tests(string forge)
    {
        var steps = Workflow.On(forge, "pull_request").Jobs["build"].Steps;
        var nixpkgs = NixpkgsStep(forge);

        Commit().IsMatch(nixpkgs.Env["NIXPKGS_COMMIT"]).Should().BeTrue("a commit names one nixpkgs forever; a branch or channel moves");
        nixpkgs.Run.Should().Contain("https://github.com/NixOS/nixpkgs/archive/$NIXPKGS_COMMIT.tar.gz")
            .And.Contain("\"nixpkgs-$NIXPKGS_COMMIT/lib\"").And.Contain("\"nixpkgs-$NIXPKGS_COMMIT/nixos/modules\"")
            .And.Contain("echo \"NIX_PATH=nixpkgs=/tmp/nixpkgs\" >> \"$GITHUB_ENV\"");
        var names = steps.Select(s => s.Run).ToList();
        names.IndexOf(nixpkgs.Run).Should().BeLessThan(names.IndexOf("dotnet test tests/HomeLab.Tests"), "the tests find nixpkgs through NIX_PATH");
    }

    [Fact]
    public void Both_forges_test_against_the_same_nixpkgs() =>
        NixpkgsStep("forgejo").Env["NIXPKGS_COMMIT"].Should().Be(NixpkgsStep("github").Env["NIXPKGS_COMMIT"]);

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex Commit();
}
