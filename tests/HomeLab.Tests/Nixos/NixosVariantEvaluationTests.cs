using System.Text.Json;

using HomeLab.Modules;
using HomeLab.Modules.Nixos;


namespace HomeLab.Tests.Nixos;

/// <summary>
/// Every generated variant of one NixOS host (GPU × proxy × limits) on every supported release, evaluated by the
/// real nixpkgs module system: all of them in one nix-instantiate run, shared by the theory's cases.
/// </summary>
public class NixosVariantEvaluationTests
{
    private static readonly IReadOnlyList<(string Gpu, string Proxy, string Limits)> Keys =
        [.. from gpu in NixosStacks.GpuVendors from proxy in NixosStacks.ProxyModes from limits in NixosStacks.LimitModes select (gpu, proxy, limits)];

    /// <summary>One nix-instantiate run for all cases; a failure is kept too, so a broken module fails fast in every case.</summary>
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<JsonElement>>> Results = new(() =>
        Nix.Require().EvaluateModuleForEach(
            NixpkgsReference.Supported(),
            [.. Keys.Select(k => NixosStacks.ValuesJson(NixosStacks.Variant(k.Gpu, k.Proxy, k.Limits)))]));

    public static TheoryData<string, string, string, string> Variants()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var release in NixpkgsReference.SupportedReleaseNames())
        {
            foreach (var (gpu, proxy, limits) in Keys)
            {
                data.Add(release, gpu, proxy, limits);
            }
        }

        return data;
    }

    /// <summary>The build each GPU gets; 24.11 and 25.05 have no Vulkan build, so Intel runs on the CPU there (with a warning).</summary>
    private static string ExpectedBuild(string release, string gpu) => gpu switch
    {
        "nvidia" => "cuda",
        "amd" => "rocm",
        "intel" when HasVulkan(release) => "vulkan",
        _ => "cpu",
    };

    private static bool HasVulkan(string release) => release is not ("24.11" or "25.05");

    [NixpkgsTheory]
    [MemberData(nameof(Variants))]
    public void Every_variant_evaluates_to_the_settings_its_stack_asks_for(string release, string gpu, string proxy, string limits)
    {
        var spec = NixosStacks.Variant(gpu, proxy, limits);
        var values = NixosOllama.Values(spec, NixosStacks.OnlyHost(spec));
        var report = Results.Value[release][Keys.ToList().IndexOf((gpu, proxy, limits))];

        report.At("failedAssertions").Strings().Should().BeEmpty();
        if (gpu == "intel" && !HasVulkan(release))
        {
            report.At("warnings").Strings().Should().ContainSingle().Which.Should()
                .Contain("asks for gpu: intel").And.Contain("Ollama runs on the CPU").And.Contain("NixOS 25.11 or newer");
        }
        else
        {
            report.At("warnings").Strings().Should().BeEmpty();
        }

        var ollama = report.At("ollama");
        NixosReport.Build(ollama).Should().Be(ExpectedBuild(release, gpu));
        var port = limits == "cpu" ? 11500 : 11434;
        NixosReport.ShouldListenOnLoopbackOnly(ollama, port);
        ollama.At("loadModels").Strings().Should().Equal(NixosStacks.VariantLoadModels, "the host pulls the plain models and the base of each custom one by itself");
        foreach (var model in NixosStacks.VariantLoadModels)
        {
            ollama.At("modelLoader").GetString().Should().Contain(model, "nixpkgs' model loader unit pulls every entry");
        }

        var unit = ollama.At("unit", "serviceConfig");
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
                ollama.At("modelsDir").GetString().Should().Be("/srv/data/ollama/models");
                ollama.At("unit", "environment", "OLLAMA_MODELS").GetString().Should().Be("/srv/data/ollama/models");
                ollama.At("user").GetString().Should().Be("ollama");
                report.At("tmpfiles", "settings", "homelab-ollama", "/srv/data/ollama/models", "d", "mode").GetString().Should().Be("0750");
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
            ollama.At("modelsDir").GetString().Should().Be("/var/lib/ollama/models", "without a storage path nixpkgs' default stays");
            ollama.At("user").ValueKind.Should().Be(JsonValueKind.Null, "without a storage path nixpkgs' DynamicUser stays");
            report.At("tmpfiles", "settings").EnumerateObject().Should().BeEmpty();
        }

        if (proxy == "none")
        {
            report.At("caddy").ValueKind.Should().Be(JsonValueKind.Null);
            NixosReport.ShouldOpenOnly(report);
            return;
        }

        var caddy = report.At("caddy");
        caddy.At("configFile", "text").GetString().Should().Be(values.Proxy!.Caddyfile);
        NixosReport.ShouldOpenOnly(report, proxy switch { "off" => [8080], "internal" => [8080, 8443], _ => [80, 443] });
        caddy.At("unit", "serviceConfig", "EnvironmentFile").Strings().Should().Equal(
            proxy == "off" ? [] : ["/var/lib/homelab/caddy.env"], "only a proxy with credentials needs the environment file");
    }
}
