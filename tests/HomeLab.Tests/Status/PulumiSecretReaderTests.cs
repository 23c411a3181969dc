using HomeLab.Deploy;
using HomeLab.Tests.Support;
using HomeLab.Workspace;

namespace HomeLab.Tests.Status;

/// <summary>How 'homelab status' gets the hooks' credential when the operator has not exported it: pulumi config get.</summary>
public sealed class PulumiSecretReaderTests : IDisposable
{
    private readonly TempRepo repo = TempRepo.WithExamples();

    public void Dispose() => repo.Dispose();

    private PulumiSecretReader Reader(FakeTools tools, Dictionary<string, string?>? environment = null) =>
        new(tools, environment ?? new Dictionary<string, string?> { ["PULUMI_HOME"] = "/nonexistent/pulumi-home" }, new ProjectDirectory(repo.Root), "local");

    [Fact]
    public void An_unset_credential_variable_is_read_with_pulumi_config_get_against_the_backend_homelab_up_uses()
    {
        var tools = new FakeTools()
            .Answer("pulumi whoami", 255, error: "error: not logged in")
            .Answer("pulumi config get localToken", 0, "0123abcd\n");

        Reader(tools).Variable("HOMELAB_BEARER_localToken").Should().Be("0123abcd");

        var get = tools.Captured.Should().ContainSingle(c => c.Arguments[0] == "config").Which;
        get.ToString().Should().Be("pulumi config get localToken --stack local --non-interactive");
        get.Environment.Should().Contain("PULUMI_BACKEND_URL", $"file://{repo.Root}/.pulumi").And.Contain("PULUMI_STACK", "local");
    }

    [Fact]
    public void A_variable_in_the_environment_wins_and_pulumi_is_not_asked()
    {
        var tools = new FakeTools();
        var environment = new Dictionary<string, string?> { ["HOMELAB_BEARER_localToken"] = "from-env" };

        Reader(tools, environment).Variable("HOMELAB_BEARER_localToken").Should().Be("from-env");

        tools.Captured.Should().BeEmpty();
    }

    [Fact]
    public void Without_pulumi_or_when_it_fails_there_is_no_value_and_other_variables_are_never_looked_up()
    {
        var failing = new FakeTools().Answer("pulumi config get", 255, error: "error: passphrase must be set");
        var absent = new FakeTools();
        absent.Installed.Remove("pulumi");

        Reader(failing).Variable("HOMELAB_APIKEY_scriptKey").Should().BeNull();
        Reader(absent).Variable("HOMELAB_BEARER_localToken").Should().BeNull();
        Reader(failing).Variable("HOMELAB_CA_CERT").Should().BeNull();

        absent.Captured.Should().BeEmpty();
        failing.CapturedLines.Should().NotContain(l => l.Contains("HOMELAB_CA_CERT", StringComparison.Ordinal));
    }
}
