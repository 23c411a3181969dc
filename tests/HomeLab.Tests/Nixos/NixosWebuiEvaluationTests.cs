using System.Text.Json;

using HomeLab.Conventions;
using HomeLab.Modules.Nixos;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Nixos;

/// <summary>
/// The chat front end on a NixOS host, evaluated with each supported release's real services.open-webui module (its
/// shapes W3–W5 in the reference) and real lib: on loopback behind Caddy, its settings and its secret file in place.
/// </summary>
public class NixosWebuiEvaluationTests
{
    public static TheoryData<string> Releases() => new(NixpkgsReference.SupportedReleaseNames());

    private static string StackYaml(string signIn) =>
        // The variant's proxy listens on 8080, Open WebUI's own port on the host (a stack check refuses that).
        NixosStacks.VariantYaml("nvidia", "internal", "none").Replace("ports: { http: 8080, https: 8443 }", "ports: { http: 80, https: 443 }", StringComparison.Ordinal)
        + "webui:\n  host: box\n  domain: chat.box.lan\n  signIn: " + signIn + "\n"
        + (signIn == "webui" ? "  adminEmail: admin@box.lan\n  adminPassword: webuiAdmin\n" : "");

    [NixpkgsTheory]
    [MemberData(nameof(Releases))]
    public void The_front_end_runs_as_services_open_webui_on_loopback_with_its_secrets_outside_the_store(string release)
    {
        var spec = Stacks.Parse(StackYaml("proxy"), "chat-box");
        var report = Nix.Require().EvaluateModule(NixpkgsReference.Release(release), NixosStacks.ValuesJson(spec));

        report.At("failedAssertions").Strings().Should().BeEmpty();
        report.At("warnings").Strings().Should().BeEmpty();
        var webui = report.At("webui");
        webui.At("host").GetString().Should().Be("127.0.0.1");
        webui.At("port").GetInt32().Should().Be(WebuiEndpoints.Port);
        webui.At("openFirewall").GetBoolean().Should().BeFalse();
        webui.At("environmentFile").GetString().Should().Be(NixosWebui.EnvironmentFile);
        webui.At("unit", "serviceConfig", "EnvironmentFile").ToString().Should().Contain(NixosWebui.EnvironmentFile);
        var environment = webui.At("unit", "environment");
        environment.At("OLLAMA_BASE_URLS").GetString().Should().Be("http://127.0.0.1:11434");
        environment.At("WEBUI_AUTH_TRUSTED_EMAIL_HEADER").GetString().Should().Be(WebuiEndpoints.TrustedEmailHeader);
        environment.At("ENABLE_SIGNUP").GetString().Should().Be("False");
        environment.At("OFFLINE_MODE").GetString().Should().Be("True");
        environment.At("SCARF_NO_ANALYTICS").GetString().Should().Be("True");
        environment.EnumerateObject().Select(p => p.Name).Should().NotContain("WEBUI_SECRET_KEY", "the key comes from the environment file, never the Nix store");
        report.At("firewall", "allowedTCPPorts").EnumerateArray().Select(p => p.GetInt32()).Should().NotContain(WebuiEndpoints.Port);
        report.At("caddy", "configFile", "text").GetString().Should().Contain("chat.box.lan:443 {").And.Contain($"reverse_proxy {WebuiEndpoints.LoopbackUpstream}");
    }

    [NixpkgsTheory]
    [MemberData(nameof(Releases))]
    public void Open_WebUI_sign_in_names_the_first_admin_and_sets_no_trusted_header(string release)
    {
        var spec = Stacks.Parse(StackYaml("webui"), "chat-box");
        var report = Nix.Require().EvaluateModule(NixpkgsReference.Release(release), NixosStacks.ValuesJson(spec));

        report.At("failedAssertions").Strings().Should().BeEmpty();
        var environment = report.At("webui", "unit", "environment");
        environment.At("WEBUI_ADMIN_EMAIL").GetString().Should().Be("admin@box.lan");
        environment.EnumerateObject().Select(p => p.Name).Should().NotContain(["WEBUI_AUTH_TRUSTED_EMAIL_HEADER", "WEBUI_ADMIN_PASSWORD", "WEBUI_SECRET_KEY"]);
    }

    [NixpkgsFact]
    public void A_release_without_environmentFile_gets_no_front_end_and_one_clear_assertion()
    {
        var spec = Stacks.Parse(StackYaml("proxy"), "chat-box");
        var report = Nix.Require().EvaluateModule(NixpkgsReference.Release("24.05"), NixosStacks.ValuesJson(spec));

        report.At("webui").ValueKind.Should().Be(JsonValueKind.Null);
        report.At("failedAssertions").Strings().Should().Contain(m => m.Contains("services.open-webui has no environmentFile", StringComparison.Ordinal));
    }
}
