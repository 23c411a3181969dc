using HomeLab.Modules;
using HomeLab.Modules.Nixos;
using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Nixos;

/// <summary>
/// The shell the steps run on the host, run here with /bin/sh: nixos-rebuild, sudo, install and systemctl are
/// replaced by recording stand-ins, and /etc/nixos and /etc/machine-id point into a temporary folder.
/// </summary>
public sealed class NixosScriptTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("homelab-nixos-script-").FullName;

    public NixosScriptTests()
    {
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(Path.Combine(root, "etc", "nixos"));
        File.WriteAllText(Path.Combine(root, "etc", "machine-id"), "0123456789abcdef0123456789abcdef\n");
        Shim("sudo", """[ "$1" = -n ] && shift; if [ "$1" = sh ] && [ "$2" = -lc ]; then exec sh -c "$3"; fi; exec "$@" """);
        NixosVersion("26.05.20260601.0123abc (Yarara)");
        Shim("nixos-rebuild", """echo "nixos-rebuild $*" >> "$FAKE_ROOT/calls" """);
        Shim("systemctl", """echo "systemctl $*" >> "$FAKE_ROOT/calls" """);
        Shim("install", """echo "install $*" >> "$FAKE_ROOT/calls"; for last; do :; done; eval "src=\${$(($# - 1))}"; cp "$src" "$FAKE_ROOT/installed" """);
        Shim("find", $"""for a; do shift; set -- "$@" "$(printf '%s' "$a" | sed "s|^/etc/nixos|$FAKE_ROOT/etc/nixos|")"; done; exec {Real("find")} "$@" """);
        Shim("cat", $"""if [ "$1" = /etc/machine-id ]; then exec {Real("cat")} "$FAKE_ROOT/etc/machine-id"; fi; exec {Real("cat")} "$@" """);
    }

    /// <summary>A step script runs a few shims; far longer means it waits on something it should not.</summary>
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(30);

    private string Bin => Path.Combine(root, "bin");

    public void Dispose() => Directory.Delete(root, recursive: true);

    private void NixosVersion(string output) => Shim("nixos-version", $"printf '%s\\n' {Shell.Quote(output)}");

    private static string Real(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, tool)).First(File.Exists);

    private void Shim(string name, string body)
    {
        var path = Path.Combine(Bin, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.TrimEnd() + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private ProcessResult Run(string script, string stdin = "") =>
        ProcessRunner.Run("/bin/sh", ["-c", script], root, new Dictionary<string, string?>
        {
            ["PATH"] = Bin + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["FAKE_ROOT"] = root,
        }, ScriptTimeout, stdin);

    private static string Create(Resource step) => ((Text)step.Properties["create"]!).Value;

    private static string Create(PulumiProgram program, string step) => Create(program.Resources.Single(r => r.Name == step));

    private void WriteConfiguration(string text) => File.WriteAllText(Path.Combine(root, "etc", "nixos", "configuration.nix"), text);

    private static PulumiProgram GreyArea => Compiler.Compile(NixosStacks.GreyArea, NixosStacks.Module);

    [Theory]
    [InlineData("plain")]
    [InlineData("it's")]
    [InlineData("'; rm -rf / #")]
    [InlineData("$(id) `id` ${HOME} \\ \" \n !")]
    public void Quoted_words_reach_the_command_exactly(string word)
    {
        var (exitCode, stdout, _) = Run("printf %s " + Shell.Quote(word));

        exitCode.Should().Be(0);
        stdout.Should().Be(word);
    }

    [Fact]
    public void Every_step_script_is_valid_posix_shell()
    {
        var programs = new[] { GreyArea }.Concat(NixosStacks.ProxyModes.Select(p => Compiler.Compile(NixosStacks.Variant("intel", p, "capped"), NixosStacks.Module)));
        foreach (var resource in programs.SelectMany(p => p.Resources))
        {
            var check = ProcessRunner.Run("/bin/sh", ["-n", "-c", Create(resource)], root, timeout: ScriptTimeout);
            check.ExitCode.Should().Be(0, "{0}'s script should parse: {1}", resource.Name, check.Stderr);
        }
    }

    [Fact]
    public void The_preflight_stops_with_the_exact_import_line_when_the_configuration_lacks_it()
    {
        WriteConfiguration("{ config, pkgs, ... }:\n{\n  imports = [ ./hardware-configuration.nix ];\n}\n");

        var (exitCode, stdout, stderr) = Run(Create(GreyArea, "grey-area-nixos-preflight"));

        exitCode.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("homelab: /etc/nixos/configuration.nix does not import the HomeLab module")
            .And.Contain("\n    imports = [ /etc/nixos/homelab/homelab.nix ];\n");
    }

    [Fact]
    public void The_preflight_does_not_count_a_commented_out_import()
    {
        WriteConfiguration("{ ... }:\n{\n  # imports = [ /etc/nixos/homelab/homelab.nix ];\n}\n");

        Run(Create(GreyArea, "grey-area-nixos-preflight")).ExitCode.Should().Be(1);
    }

    [Fact]
    public void The_preflight_passes_with_the_import_and_prints_the_machine_id()
    {
        WriteConfiguration("{ ... }:\n{\n  imports = [ ./hardware-configuration.nix /etc/nixos/homelab/homelab.nix ];\n}\n");

        var (exitCode, stdout, stderr) = Run(Create(GreyArea, "grey-area-nixos-preflight"));

        exitCode.Should().Be(0, stderr);
        stdout.Should().Be("0123456789abcdef0123456789abcdef\n", "the machine id is the step's output that later steps trigger on");
    }

    [Theory]
    [InlineData("24.11.711815.9c6b49a (Vicuna)")]
    [InlineData("25.11.20251201.abcdef0 (Xantusia)")]
    [InlineData("26.11pre912345.abcdef0 (unstable)")]
    public void The_preflight_accepts_every_supported_nixos_release(string version)
    {
        WriteConfiguration("{ imports = [ /etc/nixos/homelab/homelab.nix ]; }\n");
        NixosVersion(version);

        var (exitCode, _, stderr) = Run(Create(GreyArea, "grey-area-nixos-preflight"));

        exitCode.Should().Be(0, stderr);
    }

    [Theory]
    [InlineData("24.05.7376.b134951 (Uakari)")]
    [InlineData("23.11.20240101.abcdef0 (Tapir)")]
    [InlineData("not a version")]
    public void The_preflight_refuses_an_older_nixos_before_the_rebuild_with_the_way_on(string version)
    {
        WriteConfiguration("{ imports = [ /etc/nixos/homelab/homelab.nix ]; }\n");
        NixosVersion(version);

        var (exitCode, stdout, stderr) = Run(Create(GreyArea, "grey-area-nixos-preflight"));

        exitCode.Should().Be(1);
        stdout.Should().BeEmpty("the machine id is printed only when every check passed");
        stderr.Should().Be($"homelab: grey-area (grey-area.lan) runs NixOS {version}; HomeLab's NixOS module needs NixOS {NixosOllama.OldestNixosRelease} or newer " +
            "(older releases' services.ollama has no host, port or loadModels options). Upgrade the host (for example: switch its nixos channel to " +
            "nixos-25.11 or newer, then nixos-rebuild switch --upgrade) and run pulumi up again.\n");
    }

    [Fact]
    public void The_preflight_names_the_missing_sudo_rule()
    {
        WriteConfiguration("{ imports = [ /etc/nixos/homelab/homelab.nix ]; }\n");
        Shim("sudo", "exit 1");

        var (exitCode, _, stderr) = Run(Create(GreyArea, "grey-area-nixos-preflight"));

        exitCode.Should().Be(1);
        stderr.Should().Contain("user deploy on grey-area cannot run sudo without a password").And.Contain("NOPASSWD");
    }

    [Fact]
    public void The_rebuild_runs_nixos_rebuild_then_refuses_a_system_not_built_from_the_values()
    {
        WriteConfiguration("{ imports = [ /etc/nixos/homelab/homelab.nix ]; }\n");

        var (exitCode, _, stderr) = Run(Create(GreyArea, "grey-area-nixos-rebuild"));

        File.ReadAllText(Path.Combine(root, "calls")).Should().Be("nixos-rebuild switch\n");
        exitCode.Should().Be(1, "this machine's /run/current-system does not hold the new values");
        stderr.Should().Contain("nixos-rebuild switch finished, but the new system was not built from /etc/nixos/homelab/values.json");
    }

    [Fact]
    public void The_rebuild_does_not_run_without_the_import()
    {
        WriteConfiguration("{ }\n");

        var (exitCode, _, stderr) = Run(Create(GreyArea, "grey-area-nixos-rebuild"));

        exitCode.Should().Be(1);
        stderr.Should().Contain("imports = [ /etc/nixos/homelab/homelab.nix ];");
        File.Exists(Path.Combine(root, "calls")).Should().BeFalse("nixos-rebuild must not run");
    }

    [Fact]
    public void Caddy_credentials_are_installed_root_only_and_caddy_restarted()
    {
        const string hash = "$2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG";

        const string token = "0123456789abcdef0123456789abcdef";
        var credentials = $"HOMELAB_BEARER_greyAreaHooksToken={token}\nHOMELAB_BASIC_opsPasswordHash={hash}\n";

        var (exitCode, stdout, stderr) = Run(Create(GreyArea, "grey-area-caddy-env"), credentials);

        exitCode.Should().Be(0, stderr);
        File.ReadAllText(Path.Combine(root, "installed")).Should().Be(credentials);
        var calls = File.ReadAllLines(Path.Combine(root, "calls"));
        calls[0].Should().StartWith("install -D -m 0600 -o root -g root ").And.EndWith(" /var/lib/homelab/caddy.env");
        calls[1].Should().Be("systemctl try-restart caddy.service");
        (stdout + stderr).Should().NotContain(hash).And.NotContain(token);
    }

    [Theory]
    [InlineData("pass phrase")]
    [InlineData("quote\"d")]
    [InlineData("back\\slash")]
    [InlineData("")]
    [InlineData("two\nlines")]
    public void A_credential_systemd_or_caddy_would_misread_is_refused_without_printing_it(string secret)
    {
        var (exitCode, stdout, stderr) = Run(Create(GreyArea, "grey-area-caddy-env"), $"HOMELAB_BASIC_opsPasswordHash={secret}\n");

        exitCode.Should().Be(1);
        stderr.Should().Contain("homelab: ").And.Contain("pulumi config set --secret");
        foreach (var part in secret.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            (stdout + stderr).Should().NotContain(part, "a secret never reaches the logs");
        }

        File.Exists(Path.Combine(root, "installed")).Should().BeFalse();
    }
}
