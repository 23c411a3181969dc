using HomeLab.Tests.Support;
using HomeLab.Workspace;

namespace HomeLab.Tests.Workspace;

/// <summary>
/// The one reader of PULUMI_CONFIG, behind both the compiler hook's secret check and plan/secrets/up: pulumi-yaml
/// passes json.Marshal of the stack's config (pkg/server/server.go, Run), every key qualified by its namespace.
/// </summary>
public class StackSecretConfigTests
{
    [Fact]
    public void A_key_of_this_project_is_set_and_one_of_another_namespace_is_not()
    {
        var config = StackSecretConfig.FromJson("""{"homelab:localToken":"x","aws:region":"eu-west-1","homelab:nested":{"a":[1,2]}}""", "homelab");

        config.State("localToken").Should().Be(SecretState.Set);
        config.State("nested").Should().Be(SecretState.Set);
        config.State("region").Should().Be(SecretState.NotSet);
        config.Source.Should().Be("PULUMI_CONFIG");
    }

    [Fact]
    public void An_unqualified_key_is_not_taken_for_this_projects_key()
    {
        // Pulumi never sends one (sdk/go/common/resource/config/key.go, ParseKey refuses a key without a namespace),
        // so 'localToken' alone does not stand for homelab:localToken.
        var config = StackSecretConfig.FromJson("""{"localToken":"x"}""", "homelab");

        config.State("localToken").Should().Be(SecretState.NotSet);
    }

    [Fact]
    public void The_project_named_by_Pulumi_decides_which_keys_are_ours()
    {
        var config = StackSecretConfig.FromJson("""{"homelab:localToken":"x","lab2:localToken":"y","lab2:other":"z"}""", "lab2");

        config.State("localToken").Should().Be(SecretState.Set);
        config.State("other").Should().Be(SecretState.Set);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    [InlineData("{}")]
    public void A_stack_with_no_config_yet_has_every_key_unset(string? json)
    {
        var config = StackSecretConfig.FromJson(json, "homelab");

        config.State("localToken").Should().Be(SecretState.NotSet);
    }

    [Theory]
    [InlineData("{\"homelab:localToken\":")]
    [InlineData("{\"homelab:localToken\":\"x\"} trailing")]
    [InlineData("not json")]
    [InlineData("[\"homelab:localToken\"]")]
    [InlineData("\"homelab:localToken\"")]
    public void Config_that_is_not_a_JSON_object_is_refused_with_a_plain_message(string json)
    {
        var act = () => StackSecretConfig.FromJson(json, "homelab");

        act.Should().Throw<UsageException>().Which.Message.Should().StartWith("PULUMI_CONFIG is not ").And.Contain("unset it");
    }

    [Fact]
    public void Plan_and_secrets_read_the_same_config_the_compiler_checks()
    {
        var environment = new Dictionary<string, string?> { ["PULUMI_CONFIG"] = """{"lab:localToken":"x","homelab:other":"y"}""", ["PULUMI_PROJECT"] = "lab" };

        var config = StackSecretConfig.Read(new ProjectDirectory(Repo.Root), "local", k => environment.GetValueOrDefault(k));

        config!.State("localToken").Should().Be(SecretState.Set);
        config.State("other").Should().Be(SecretState.NotSet);
    }
}
