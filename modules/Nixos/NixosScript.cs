using HomeLab.Spec;

namespace HomeLab.Modules.Nixos;

/// <summary>
/// What every step script on a NixOS host shares: its first lines, the one way a failure is reported (a message
/// quoted by <see cref="Shell.Quote"/>), running a command as root, and where the HomeLab files lie on the host.
/// </summary>
internal static class NixosScript
{
    /// <summary>Every step script starts here: stop at the first failing command, and report failures on one line.</summary>
    public const string Header = "set -eu\nfail() { printf 'homelab: %s\\n' \"$1\" >&2; exit 1; }\n";

    public const string ConfigDir = "/etc/nixos";

    /// <summary>Stops the script with <paramref name="message"/> on stderr, the message quoted as one word.</summary>
    public static string Fail(string message) => "fail " + Shell.Quote(message);

    public static string Privileged(NixosHostSpec host, string command) => host.Sudo ? "sudo -n " + command : command;

    public static string ModulePath(NixosHostSpec host) => $"{host.ModuleDir}/{NixosModule.FileName}";

    public static string ValuesPath(NixosHostSpec host) => $"{host.ModuleDir}/{NixosModule.ValuesFileName}";

    /// <summary>The module folder relative to /etc/nixos, or null when it lies outside (where a flake cannot import it).</summary>
    public static string? InsideConfig(NixosHostSpec host) =>
        host.ModuleDir.StartsWith(ConfigDir + "/", StringComparison.Ordinal) ? host.ModuleDir[(ConfigDir.Length + 1)..] : null;
}
