using HomeLab.Tests.Support;

namespace HomeLab.Tests.Workflows;

/// <summary>HOMELAB_UNAVAILABLE lets a CI job skip exactly the tests needing what it lacks on purpose, and no others.</summary>
public class DeclaredUnavailableTests
{
    [Theory]
    [InlineData("reference docker", "docker", true)]
    [InlineData("reference,docker", "reference", true)]
    [InlineData(" reference ", "reference", true)]
    [InlineData("reference", "docker", false)]
    [InlineData("dockers", "docker", false)]
    [InlineData("", "reference", false)]
    [InlineData(null, "reference", false)]
    public void Only_what_the_job_names_skips(string? declared, string what, bool skips)
    {
        var reason = ExternalTool.DeclaredUnavailable(what, declared);

        if (skips)
        {
            reason.Should().Contain($"{ExternalTool.UnavailableVariable} says this job has no {what}");
        }
        else
        {
            reason.Should().BeNull();
        }
    }
}
