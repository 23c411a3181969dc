using System.Text.Json;
using System.Text.RegularExpressions;

namespace HomeLab.Tests.Nixos;

/// <summary>What every evaluation of the module must show, read from harness.nix's report.</summary>
internal static partial class NixosReport
{
    /// <summary>No assertion failed and no warning was printed: nixos-rebuild would go through silently.</summary>
    public static void ShouldBeClean(JsonElement report)
    {
        report.At("failedAssertions").Strings().Should().BeEmpty("no NixOS assertion may fail");
        report.At("warnings").Strings().Should().BeEmpty("a rebuild should print no warning");
    }

    /// <summary>Ollama listens on 127.0.0.1 only (OLLAMA_HOST of the unit nixpkgs generates) and opens no port itself.</summary>
    public static void ShouldListenOnLoopbackOnly(JsonElement ollama, int port)
    {
        ollama.At("unit", "environment", "OLLAMA_HOST").GetString().Should().Be($"127.0.0.1:{port}");
        ollama.At("host").GetString().Should().Be("127.0.0.1");
        ollama.At("port").GetInt32().Should().Be(port);
        ollama.At("openFirewall").GetBoolean().Should().BeFalse();
    }

    /// <summary>The firewall opens exactly these TCP ports and no UDP port.</summary>
    public static void ShouldOpenOnly(JsonElement report, params int[] tcpPorts)
    {
        report.At("firewall", "allowedTCPPorts").Ints().Should().Equal(tcpPorts);
        report.At("firewall", "allowedUDPPorts").Ints().Should().BeEmpty();
    }

    /// <summary>The Ollama build the unit runs, from its ExecStart: "cpu", "cuda", "rocm", "vulkan" (or "default").</summary>
    public static string Build(JsonElement ollama)
    {
        var execStart = ollama.At("unit", "serviceConfig", "ExecStart").GetString()!;
        var match = BuildPattern().Match(execStart);
        match.Success.Should().BeTrue("ExecStart should run a fake ollama package: {0}", execStart);
        return match.Groups["build"].Success ? match.Groups["build"].Value : "default";
    }

    [GeneratedRegex(@"-ollama(?:-(?<build>[a-z]+))?/bin/ollama serve$")]
    private static partial Regex BuildPattern();
}
