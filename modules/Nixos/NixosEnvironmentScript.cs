using System.Globalization;
using System.Text;

using HomeLab.Spec;

namespace HomeLab.Modules.Nixos;

/// <summary>
/// Writes a service's credentials (mode 0600, root) from stdin, so no secret appears on a command line: every line
/// a variable starting with the service's prefix. Values that systemd's environment file parser or Caddy's
/// placeholder expansion would misread are refused, and only variable names are ever printed.
/// </summary>
internal static class NixosEnvironmentScript
{
    public static string Text(NixosHostSpec host, int credentials, string prefix, string path, string unit)
    {
        var script = new StringBuilder(NixosScript.Header);
        script.Append("umask 077\n");
        script.Append("tmp=$(mktemp)\n");
        script.Append("trap 'rm -f \"$tmp\"' EXIT\n");
        script.Append("cat >\"$tmp\"\n");
        // A line that does not start a credential is the tail of a value with a line break: refuse it unprinted.
        var lineBreak = NixosScript.Fail("a proxy credential contains a line break; set it again with pulumi config set --secret");
        script.Append($"! grep -qv '^{prefix}[A-Za-z0-9_]*=' \"$tmp\" || ").Append(lineBreak).Append('\n');
        script.Append("[ \"$(grep -c '' \"$tmp\")\" = ").Append(credentials.ToString(CultureInfo.InvariantCulture)).Append(" ] || ").Append(lineBreak).Append('\n');
        script.Append($"bad=$(grep -Ev '^{prefix}[A-Za-z0-9_]+=[A-Za-z0-9._~+/=$:@-]+$' \"$tmp\" | sed 's/=.*//')\n");
        script.Append("[ -z \"$bad\" ] || ")
            .Append(NixosScript.Fail("proxy credentials may hold only letters, digits and ._~+/=$:@- (systemd and Caddy would misread others); set these again with pulumi config set --secret:"))
            .Append("\" $bad\"\n");
        script.Append(NixosScript.Privileged(host, $"install -D -m 0600 -o root -g root \"$tmp\" {path}")).Append('\n');
        // The service reads the file when it starts; a rebuild restarts it only when its own configuration changes.
        script.Append(NixosScript.Privileged(host, $"systemctl try-restart {unit}.service")).Append('\n');
        return script.ToString();
    }
}
