using System.Text;

using HomeLab.Spec;

namespace HomeLab.Modules.Nixos;

/// <summary>
/// The first step on a NixOS host: it is NixOS, new enough, root is reachable, and the configuration imports the
/// module; it prints the machine id, whose change (a reinstall) re-runs every later step.
/// </summary>
internal static class NixosPreflightScript
{
    public static string Text(StackSpec spec, NixosHostSpec host)
    {
        var script = new StringBuilder(NixosScript.Header);
        script.Append("command -v nixos-rebuild >/dev/null 2>&1 || ")
            .Append(NixosScript.Fail($"{host.Name} ({host.Address}) is not a NixOS machine: nixos-rebuild is not on the PATH of user {host.Ssh.User}")).Append('\n');
        script.Append(ReleaseCheck(host));
        if (host.Sudo)
        {
            script.Append("sudo -n true 2>/dev/null || ")
                .Append(NixosScript.Fail($"user {host.Ssh.User} on {host.Name} cannot run sudo without a password; allow it in the host's configuration, e.g. " +
                    $"security.sudo.extraRules = [ {{ users = [ \"{host.Ssh.User}\" ]; commands = [ {{ command = \"ALL\"; options = [ \"NOPASSWD\" ]; }} ]; }} ];")).Append('\n');
        }

        script.Append(NixosImportCheck.Text(spec, host));
        script.Append("cat /etc/machine-id\n");
        return script.ToString();
    }

    /// <summary>An older NixOS stops here with its version and the way on, instead of with a Nix trace in the middle of the rebuild.</summary>
    private static string ReleaseCheck(NixosHostSpec host)
    {
        var oldest = NixosOllama.OldestNixosRelease.Replace(".", "", StringComparison.Ordinal);
        var script = new StringBuilder();
        script.Append("version=$(nixos-version) || ").Append(NixosScript.Fail($"{host.Name} ({host.Address}): nixos-version failed, so its NixOS release is unknown")).Append('\n');
        // 24.11.711815.9c6b49a (Vicuna) and 26.11pre912345.abcdef0 (unstable) both start with YY.MM.
        script.Append("release=$(printf '%s\\n' \"$version\" | sed -n 's/^\\([0-9][0-9]\\)\\.\\([0-9][0-9]\\).*/\\1\\2/p')\n");
        script.Append("[ \"${release:-0}\" -ge ").Append(oldest).Append(" ] || ")
            .Append(NixosScript.Fail($"{host.Name} ({host.Address}) runs NixOS ")).Append("\"$version\"")
            .Append(Shell.Quote($"; HomeLab's NixOS module needs NixOS {NixosOllama.OldestNixosRelease} or newer (older releases' services.ollama has no host, port or loadModels options). " +
                "Upgrade the host (for example: switch its nixos channel to nixos-25.11 or newer, then nixos-rebuild switch --upgrade) and run pulumi up again."))
            .Append('\n');
        return script.ToString();
    }
}
