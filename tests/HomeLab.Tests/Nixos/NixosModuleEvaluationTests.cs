using System.Text.Json;

using HomeLab.Modules;
using HomeLab.Tests.Support;


namespace HomeLab.Tests.Nixos;

/// <summary>nix/homelab.nix evaluated with the compiler's own values.json: what NixOS would be asked to configure.</summary>
public class NixosModuleEvaluationTests
{
    private static readonly object VariantsLock = new();
    private static Dictionary<string, JsonElement>? variantResults;

    public static TheoryData<string, string, string> Variants()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var gpu in NixosStacks.GpuVendors)
        {
            foreach (var proxy in NixosStacks.ProxyModes)
            {
                foreach (var limits in NixosStacks.LimitModes)
                {
                    data.Add(gpu, proxy, limits);
                }
            }
        }

        return data;
    }

    [ToolFact("nix-instantiate")]
    public void Grey_area_runs_ollama_on_cuda_capped_low_priority_with_models_on_the_data_disk()
    {
        var nix = Nix.Require();

        var config = nix.EvaluateModule(NixosStacks.ValuesJson(NixosStacks.GreyArea)).At("config");

        var ollama = config.At("services", "ollama");
        ollama.At("enable").GetBoolean().Should().BeTrue();
        ollama.At("acceleration").GetString().Should().Be("cuda");
        ollama.At("host").GetString().Should().Be("127.0.0.1");
        ollama.At("port").GetInt32().Should().Be(11434);
        ollama.At("openFirewall").GetBoolean().Should().BeFalse();
        ollama.At("loadModels").Strings().Should().Equal("llama3.1:8b", "qwen3:8b", "qwen2.5-coder:7b", "nomic-embed-text:v1.5");
        ollama.At("home").GetString().Should().Be("/srv/data/ollama");
        ollama.At("models").GetString().Should().Be("/srv/data/ollama/models");
        ollama.At("user").GetString().Should().Be("ollama");
        JsonSerializer.Serialize(ollama.At("environmentVariables")).Should().Be(
            """{"OLLAMA_CONTEXT_LENGTH":"8192","OLLAMA_FLASH_ATTENTION":"1","OLLAMA_KEEP_ALIVE":"15m","OLLAMA_KV_CACHE_TYPE":"q8_0","OLLAMA_MAX_LOADED_MODELS":"1","OLLAMA_NUM_PARALLEL":"2"}""");

        var unit = config.At("systemd", "services", "ollama", "serviceConfig");
        unit.At("MemoryMax").GetString().Should().Be((16L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture));
        unit.At("MemoryHigh").GetString().Should().Be((16L << 30) * 9 / 10 + "");
        unit.At("MemorySwapMax").GetString().Should().Be("0");
        unit.At("CPUQuota").GetString().Should().Be("600%");
        unit.At("Nice").GetInt32().Should().Be(10);
        unit.At("CPUWeight").GetInt32().Should().Be(20);
        unit.At("IOSchedulingClass").GetString().Should().Be("best-effort");
        config.At("systemd", "services", "ollama", "unitConfig", "RequiresMountsFor").Strings().Should().Equal("/srv/data/ollama");
        config.At("systemd", "tmpfiles", "settings", "homelab-ollama", "/srv/data/ollama", "Z", "user").GetString().Should().Be("ollama");

        var caddy = config.At("services", "caddy");
        caddy.At("enable").GetBoolean().Should().BeTrue();
        caddy.At("enableReload").GetBoolean().Should().BeFalse("the Caddyfile turns the admin API off, which a reload needs");
        caddy.At("configFile", "text").GetString().Should().Contain("ollama.grey-area.lan:8443 {").And.Contain("tls internal").And.Contain("basic_auth");
        config.At("systemd", "services", "caddy", "serviceConfig", "EnvironmentFile").GetString().Should().Be("/var/lib/homelab/caddy.env");
        config.At("networking", "firewall", "allowedTCPPorts").Ints().Should().Equal(8080, 8443);
        config.At("environment", "etc", "homelab/values.json", "source").GetString().Should().EndWith(".json");
    }

    [ToolFact("nix-instantiate")]
    public void Grey_area_keeps_the_hardening_of_nixpkgs_ollama_unit()
    {
        var nix = Nix.Require();

        // The harness merges in nixpkgs' own settings; a clash would have failed the evaluation.
        var unit = nix.EvaluateModule(NixosStacks.ValuesJson(NixosStacks.GreyArea)).At("config", "systemd", "services", "ollama", "serviceConfig");

        unit.At("ProtectSystem").GetString().Should().Be("strict");
        unit.At("ProtectHome").GetBoolean().Should().BeTrue();
        unit.At("NoNewPrivileges").GetBoolean().Should().BeTrue();
        unit.At("MemoryDenyWriteExecute").GetBoolean().Should().BeTrue();
        unit.At("DevicePolicy").GetString().Should().Be("closed");
        unit.At("SystemCallFilter").Strings().Should().Equal("@system-service @resources", "~@privileged");
        unit.At("Restart").GetString().Should().Be("on-failure");
    }

    [ToolFact("nix-instantiate")]
    public void The_Caddyfile_reaches_Caddy_exactly_as_the_compiler_rendered_it()
    {
        var nix = Nix.Require();

        var values = NixosOllama.Values(NixosStacks.GreyArea, NixosStacks.OnlyHost(NixosStacks.GreyArea));

        var config = nix.EvaluateModule(NixosOllama.ValuesJson(values)).At("config");

        config.At("services", "caddy", "configFile", "text").GetString().Should().Be(values.Proxy!.Caddyfile);
        config.At("services", "caddy", "configFile", "name").GetString().Should().Be("Caddyfile");
    }

    [ToolFact("nix-instantiate")]
    public void The_host_configuration_can_override_the_restart_policy_but_not_the_stack_limits()
    {
        var nix = Nix.Require();

        var values = NixosStacks.ValuesJson(NixosStacks.GreyArea);

        var restart = nix.EvaluateModule(values, """{ systemd.services.ollama.serviceConfig.Restart = "always"; }""");
        restart.At("config", "systemd", "services", "ollama", "serviceConfig", "Restart").GetString().Should().Be("always");

        using var file = new TempFile(values);
        var clash = nix.Run("--eval", "--strict", "--json", Path.Combine(Nix.HarnessDir, "harness.nix"), "--argstr", "module", Nix.ModulePath,
            "--argstr", "valuesFile", file.Path, "--arg", "host", """{ systemd.services.ollama.serviceConfig.MemoryMax = "1G"; }""");
        clash.ExitCode.Should().NotBe(0, "a host setting that contradicts the stack file must not win silently");
        clash.Stderr.Should().Contain("systemd.services.ollama.serviceConfig.MemoryMax");
    }

    [ToolFact("nix-instantiate")]
    public void The_values_file_option_defaults_to_values_json_beside_the_module()
    {
        var nix = Nix.Require();

        var option = nix.EvaluateModule(NixosStacks.ValuesJson(NixosStacks.GreyArea)).At("valuesFileOption");

        option.At("default").GetString().Should().Be(Path.Combine(Repo.Root, "nix", "values.json"));
        option.At("type").GetString().Should().Be("path");
        option.At("defaultIsValid").GetBoolean().Should().BeTrue();
    }

    [ToolFact("nix-instantiate")]
    public void Values_from_another_schema_version_stop_the_evaluation_with_a_clear_message()
    {
        var nix = Nix.Require();

        using var file = new TempFile("""{ "schema": 2, "ollama": null, "proxy": null }""");

        var run = nix.Run("--eval", "--strict", "--json", Path.Combine(Nix.HarnessDir, "harness.nix"), "--argstr", "module", Nix.ModulePath, "--argstr", "valuesFile", file.Path);

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain("was written by another HomeLab version");
    }

    [ToolFact("nix-instantiate")]
    public void A_host_with_neither_ollama_nor_proxy_gets_nothing_but_the_values_marker()
    {
        var nix = Nix.Require();

        var config = nix.EvaluateModule("""{ "schema": 1, "stack": "s", "hostName": "h", "ollama": null, "proxy": null }""").At("config");

        config.Has("services").Should().BeFalse();
        config.Has("networking").Should().BeFalse();
        config.Has("environment", "etc", "homelab/values.json").Should().BeTrue();
    }

    [ToolFact("nix-instantiate")]
    public void A_nixos_host_that_only_runs_the_proxy_forwards_to_a_published_docker_instance()
    {
        var nix = Nix.Require();

        var spec = Stacks.Parse(
            "hosts:\n  gpu-box:\n    kind: docker\n    engine: ssh://ops@gpu-box.lan\n    address: gpu-box.lan\n" +
            "  edge:\n    kind: nixos\n    address: edge.lan\n    ssh: { hostKey: " + NixosStacks.HostKey + " }\n" +
            "instances:\n  ollama:\n    host: gpu-box\n    publish: { port: 11434, bind: 192.0.2.10 }\n" +
            "proxy:\n  host: edge\n  domain: ollama.edge.lan\n  auth: { bearerTokens: [ciToken] }\n  routes:\n    - to: [ollama]\n");
        var values = NixosOllama.Values(spec, spec.Hosts.OfType<Spec.NixosHostSpec>().Single());

        var config = nix.EvaluateModule(NixosOllama.ValuesJson(values)).At("config");

        values.Ollama.Should().BeNull();
        config.Has("services", "ollama").Should().BeFalse();
        config.Has("systemd", "services", "ollama").Should().BeFalse();
        config.At("services", "caddy", "configFile", "text").GetString().Should().Contain("reverse_proxy gpu-box.lan:11434");
        config.At("networking", "firewall", "allowedTCPPorts").Ints().Should().Equal(80, 443);
    }

    [ToolTheory("nix-instantiate")]
    [MemberData(nameof(Variants))]
    public void Every_variant_evaluates_to_the_settings_its_stack_asks_for(string gpu, string proxy, string limits)
    {
        var nix = Nix.Require();

        var spec = NixosStacks.Variant(gpu, proxy, limits);
        var values = NixosOllama.Values(spec, NixosStacks.OnlyHost(spec));
        var config = VariantResults(nix)[Key(gpu, proxy, limits)];

        var ollama = config.At("services", "ollama");
        var acceleration = ollama.At("acceleration");
        if (gpu == "none")
        {
            acceleration.ValueKind.Should().Be(JsonValueKind.False, "CPU-only is acceleration = false in nixpkgs");
        }
        else
        {
            acceleration.GetString().Should().Be(gpu switch { "nvidia" => "cuda", "amd" => "rocm", _ => "vulkan" });
        }

        var port = limits == "cpu" ? 11500 : 11434;
        ollama.At("port").GetInt32().Should().Be(port);
        ollama.At("host").GetString().Should().Be("127.0.0.1");
        ollama.At("openFirewall").GetBoolean().Should().BeFalse();
        ollama.At("loadModels").Strings().Should().Equal(["llama3.2:3b", "nomic-embed-text:v1.5"], "the custom model 'helper' is built by the hooks, not pulled");

        var unit = config.At("systemd", "services", "ollama", "serviceConfig");
        unit.At("Restart").GetString().Should().Be("on-failure");
        unit.At("ProtectSystem").GetString().Should().Be("strict");
        switch (limits)
        {
            case "capped":
                unit.At("MemoryMax").GetString().Should().Be("12884901888");
                unit.At("MemoryHigh").GetString().Should().Be("11596411699");
                unit.At("MemorySwapMax").GetString().Should().Be("0");
                unit.At("CPUQuota").GetString().Should().Be("250%");
                unit.At("Nice").GetInt32().Should().Be(10);
                unit.At("IOSchedulingClass").GetString().Should().Be("best-effort");
                ollama.At("models").GetString().Should().Be("/srv/data/ollama/models");
                ollama.At("user").GetString().Should().Be("ollama");
                config.At("systemd", "tmpfiles", "settings", "homelab-ollama", "/srv/data/ollama/models", "d", "mode").GetString().Should().Be("0750");
                break;
            case "cpu":
                unit.Has("MemoryMax").Should().BeFalse();
                unit.Has("MemoryHigh").Should().BeFalse();
                unit.At("CPUQuota").GetString().Should().Be("400%");
                unit.At("Nice").GetInt32().Should().Be(19);
                unit.At("CPUWeight").GetString().Should().Be("idle");
                unit.At("IOSchedulingClass").GetString().Should().Be("idle");
                break;
            default:
                foreach (var key in new[] { "MemoryMax", "MemoryHigh", "MemorySwapMax", "CPUQuota", "Nice", "CPUWeight", "IOWeight", "IOSchedulingClass" })
                {
                    unit.Has(key).Should().BeFalse("no limit or priority was asked for, so {0} stays unset", key);
                }

                break;
        }

        if (limits != "capped")
        {
            ollama.Has("models").Should().BeFalse("without a storage path nixpkgs' /var/lib/ollama stays");
            ollama.Has("user").Should().BeFalse("without a storage path nixpkgs' DynamicUser stays");
            config.Has("systemd", "tmpfiles").Should().BeFalse();
        }

        if (proxy == "none")
        {
            config.Has("services", "caddy").Should().BeFalse();
            config.Has("networking").Should().BeFalse("with no proxy the firewall opens nothing");
            config.Has("systemd", "services", "caddy").Should().BeFalse();
            return;
        }

        config.At("services", "caddy", "enable").GetBoolean().Should().BeTrue();
        config.At("services", "caddy", "configFile", "text").GetString().Should().Be(values.Proxy!.Caddyfile);
        var ports = config.At("networking", "firewall", "allowedTCPPorts").Ints();
        ports.Should().Equal(proxy switch { "off" => [8080], "internal" => [8080, 8443], _ => [80, 443] });
        ports.Should().NotContain(port, "Ollama's own port stays closed");
        var environmentFile = config.Has("systemd", "services", "caddy", "serviceConfig", "EnvironmentFile");
        environmentFile.Should().Be(proxy != "off", "only a proxy with credentials needs the environment file");
    }

    private static string Key(string gpu, string proxy, string limits) => $"{gpu}/{proxy}/{limits}";

    /// <summary>All variants in one nix-instantiate run, shared by the theory's cases.</summary>
    private static Dictionary<string, JsonElement> VariantResults(Nix nix)
    {
        lock (VariantsLock)
        {
            if (variantResults is null)
            {
                var keys = Variants().Select(row => ((string)row[0], (string)row[1], (string)row[2])).ToList();
                var jsons = keys.Select(k => NixosStacks.ValuesJson(NixosStacks.Variant(k.Item1, k.Item2, k.Item3))).ToList();
                var results = nix.EvaluateModuleForEach(jsons);
                variantResults = keys.Select((k, i) => (Key(k.Item1, k.Item2, k.Item3), results[i])).ToDictionary(p => p.Item1, p => p.Item2);
            }

            return variantResults;
        }
    }
}
