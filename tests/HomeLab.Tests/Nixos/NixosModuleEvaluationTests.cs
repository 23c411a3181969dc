using System.Text.Json;

using HomeLab.Modules;
using HomeLab.Modules.Nixos;
using HomeLab.Tests.Support;


namespace HomeLab.Tests.Nixos;

/// <summary>
/// nix/homelab.nix evaluated with the compiler's own values.json by the real nixpkgs module system of each NixOS
/// release, with that release's services.ollama and nixpkgs' services.caddy: what nixos-rebuild would build.
/// </summary>
public class NixosModuleEvaluationTests
{
    public static TheoryData<string> SupportedReleases() => new(NixpkgsReference.SupportedReleaseNames());

    private static NixosRelease Newest => NixpkgsReference.Supported()[^1];

    private static JsonElement Evaluate(string release, string valuesJson, string? host = null) =>
        Nix.Require().EvaluateModule(NixpkgsReference.Release(release), valuesJson, host);

    [NixpkgsTheory]
    [MemberData(nameof(SupportedReleases))]
    public void Grey_area_runs_ollama_on_cuda_capped_low_priority_with_models_on_the_data_disk(string release)
    {
        var report = Evaluate(release, NixosStacks.ValuesJson(NixosStacks.GreyArea));

        NixosReport.ShouldBeClean(report);
        var ollama = report.At("ollama");
        NixosReport.ShouldListenOnLoopbackOnly(ollama, 11434);
        NixosReport.Build(ollama).Should().Be("cuda");
        ollama.At("loadModels").Strings().Should().Equal("llama3.1:8b", "qwen3:8b", "qwen2.5-coder:7b", "nomic-embed-text:v1.5");
        ollama.At("home").GetString().Should().Be("/srv/data/ollama");
        ollama.At("modelsDir").GetString().Should().Be("/srv/data/ollama/models");
        ollama.At("user").GetString().Should().Be("ollama");
        report.At("users", "ollama", "isSystemUser").GetBoolean().Should().BeTrue("nixpkgs creates the static user the data disk belongs to");
        report.At("users", "ollama", "home").GetString().Should().Be("/srv/data/ollama");

        var environment = ollama.At("unit", "environment");
        environment.At("OLLAMA_MODELS").GetString().Should().Be("/srv/data/ollama/models");
        environment.At("OLLAMA_KEEP_ALIVE").GetString().Should().Be("15m");
        environment.At("OLLAMA_FLASH_ATTENTION").GetString().Should().Be("1");
        environment.At("OLLAMA_NO_CLOUD").GetString().Should().Be("1", "cloud models stay off unless the instance says 'cloud: true'");

        var unit = ollama.At("unit", "serviceConfig");
        unit.At("MemoryMax").GetString().Should().Be((16L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture));
        unit.At("MemoryHigh").GetString().Should().Be((16L << 30) * 9 / 10 + "");
        unit.At("MemorySwapMax").GetString().Should().Be("0");
        unit.At("CPUQuota").GetString().Should().Be("600%");
        unit.At("Nice").GetInt32().Should().Be(10);
        unit.At("CPUWeight").GetInt32().Should().Be(20);
        unit.At("IOSchedulingClass").GetString().Should().Be("best-effort");
        unit.At("Restart").GetString().Should().Be("on-failure");
        // nixpkgs' own hardening of the unit stays: the module adds keys, it never replaces these.
        unit.At("ProtectSystem").GetString().Should().Be("strict");
        unit.At("ProtectHome").GetBoolean().Should().BeTrue();
        unit.At("NoNewPrivileges").GetBoolean().Should().BeTrue();
        unit.At("SystemCallFilter").Strings().Should().Equal("@system-service @resources", "~@privileged");
        ollama.At("unit", "unitConfig", "RequiresMountsFor").Strings().Should().Equal("/srv/data/ollama");
        report.At("tmpfiles", "settings", "homelab-ollama", "/srv/data/ollama", "Z", "user").GetString().Should().Be("ollama");

        var caddy = report.At("caddy");
        caddy.At("enableReload").GetBoolean().Should().BeFalse("the Caddyfile turns the admin API off, which a reload needs");
        caddy.At("configFile", "text").GetString().Should().Contain("ollama.grey-area.lan:8443 {").And.Contain("tls internal").And.Contain("basic_auth");
        caddy.At("unit", "serviceConfig", "EnvironmentFile").Strings().Should().Equal("/var/lib/homelab/caddy.env");
        NixosReport.ShouldOpenOnly(report, 8080, 8443);
        report.At("valuesMarker").GetString().Should().EndWith(".json");
    }

    [NixpkgsFact(Release = "24.05")]
    public void A_release_without_host_port_and_loadModels_fails_one_assertion_that_names_the_supported_releases()
    {
        var report = Evaluate("24.05", NixosStacks.ValuesJson(NixosStacks.GreyArea));

        report.At("failedAssertions").Strings().Should().ContainSingle()
            .Which.Should().Contain("homelab: grey-area runs a NixOS release whose services.ollama has no host, port or loadModels options")
            .And.Contain($"HomeLab needs NixOS {NixosOllama.OldestNixosRelease} or newer");
        report.At("ollama").ValueKind.Should().Be(JsonValueKind.Null, "nothing of services.ollama is defined on that release");
    }

    [NixpkgsTheory]
    [MemberData(nameof(SupportedReleases))]
    public void The_caddyfile_reaches_caddy_exactly_as_the_compiler_rendered_it(string release)
    {
        var values = NixosOllama.Values(NixosStacks.GreyArea, NixosStacks.OnlyHost(NixosStacks.GreyArea));

        var caddy = Evaluate(release, NixosOllama.ValuesJson(values)).At("caddy");

        caddy.At("configFile", "text").GetString().Should().Be(values.Proxy!.Caddyfile);
        caddy.At("configFile", "name").GetString().Should().Be("Caddyfile");
        caddy.At("adapter").GetString().Should().Be("caddyfile");
    }

    [NixpkgsTheory]
    [MemberData(nameof(SupportedReleases))]
    public void The_host_configuration_can_override_the_restart_policy_but_not_the_stack_limits(string release)
    {
        var values = NixosStacks.ValuesJson(NixosStacks.GreyArea);

        var restart = Evaluate(release, values, """{ systemd.services.ollama.serviceConfig.Restart = "always"; }""");
        restart.At("ollama", "unit", "serviceConfig", "Restart").GetString().Should().Be("always");

        using var file = new TempFile(values);
        var clash = Nix.Require().RunModule(NixpkgsReference.Release(release), file.Path, """{ systemd.services.ollama.serviceConfig.MemoryMax = "1G"; }""");
        clash.ExitCode.Should().NotBe(0, "a host setting that contradicts the stack file must not win silently");
        clash.Stderr.Should().Contain("systemd.services.ollama.serviceConfig.MemoryMax");
    }

    [NixpkgsFact]
    public void A_unit_setting_systemd_rejects_fails_the_evaluation_even_behind_mkDefault()
    {
        using var file = new TempFile(NixosStacks.ValuesJson(NixosStacks.GreyArea));

        var run = Nix.Require().RunModule(Newest, file.Path, """{ lib, ... }: { systemd.services.ollama.serviceConfig.Restart = lib.mkDefault "sometimes"; }""");

        run.ExitCode.Should().NotBe(0, "nixpkgs checks Restart and Type after unwrapping mkIf and mkDefault");
        run.Stderr.Should().Contain("Systemd Service field `Restart' cannot have value `sometimes'");
    }

    [NixpkgsFact]
    public void The_values_file_option_defaults_to_values_json_beside_the_module()
    {
        var option = Evaluate(Newest.Name, NixosStacks.ValuesJson(NixosStacks.GreyArea)).At("valuesFileOption");

        option.At("default").GetString().Should().Be(Path.Combine(Repo.Root, "nix", "values.json"));
        option.At("type").GetString().Should().Be("path");
        option.At("defaultIsValid").GetBoolean().Should().BeTrue();
    }

    [NixpkgsFact]
    public void Values_from_another_schema_version_stop_the_evaluation_with_a_clear_message()
    {
        using var file = new TempFile("""{ "schema": 2, "ollama": null, "proxy": null }""");

        var run = Nix.Require().RunModule(Newest, file.Path);

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain("was written by another HomeLab version");
    }

    [NixpkgsFact]
    public void A_host_with_neither_ollama_nor_proxy_gets_nothing_but_the_values_marker()
    {
        var report = Evaluate(Newest.Name, """{ "schema": 1, "stack": "s", "hostName": "h", "ollama": null, "proxy": null }""");

        NixosReport.ShouldBeClean(report);
        report.At("ollama").ValueKind.Should().Be(JsonValueKind.Null);
        report.At("caddy").ValueKind.Should().Be(JsonValueKind.Null);
        report.At("services").Strings().Should().BeEmpty();
        NixosReport.ShouldOpenOnly(report);
        report.At("valuesMarker").GetString().Should().EndWith(".json");
    }

    [NixpkgsTheory]
    [MemberData(nameof(SupportedReleases))]
    public void A_nixos_host_that_only_runs_the_proxy_forwards_to_a_published_docker_instance(string release)
    {
        var spec = NixosStacks.ProxyOnly;
        var values = NixosOllama.Values(spec, spec.Hosts.OfType<HomeLab.Spec.NixosHostSpec>().Single());

        var report = Evaluate(release, NixosOllama.ValuesJson(values));

        values.Ollama.Should().BeNull();
        NixosReport.ShouldBeClean(report);
        report.At("ollama").ValueKind.Should().Be(JsonValueKind.Null);
        report.At("services").Strings().Should().Equal("caddy");
        report.At("caddy", "configFile", "text").GetString().Should().Contain("reverse_proxy gpu-box.lan:11434");
        NixosReport.ShouldOpenOnly(report, 80, 443);
    }
}
