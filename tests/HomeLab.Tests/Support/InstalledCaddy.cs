using System.Globalization;
using System.Text.RegularExpressions;

using HomeLab.Modules;
using HomeLab.Modules.Proxy;

namespace HomeLab.Tests.Support;

/// <summary>
/// The Caddy these tests run, and the one difference between the Caddyfile HomeLab writes (for the pinned image,
/// Caddy 2.11) and what an older Caddy accepts: Caddy 2.8 renamed the 'basicauth' directive to
/// 'basic_auth' (caddyserver/caddy modules/caddyhttp/caddyauth/caddyfile.go, init: both names registered, the old
/// one deprecated). Debian's Caddy 2.6.2 knows only the old name, so for a pre-2.8 binary the tests rename that
/// directive and nothing else; a test proves the rename is the only change.
/// </summary>
internal static partial class InstalledCaddy
{
    private static readonly Version Renamed = new(2, 8);
    private static readonly Lazy<Version> Installed = new(ReadVersion);

    public static Version Version => Installed.Value;

    /// <summary><paramref name="caddyfile"/> as the installed Caddy must read it.</summary>
    public static string Adapt(string caddyfile) =>
        Version >= Renamed ? caddyfile : BasicAuthLine().Replace(caddyfile, "${indent}basicauth${rest}");

    [GeneratedRegex("^(?<indent>\t+)" + CaddyProxy.BasicAuthDirective + "(?<rest>( [^\n]*)? \\{)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex BasicAuthLine();

    [GeneratedRegex(@"^v?(\d+)\.(\d+)\.(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPrefix();

    private static Version ReadVersion()
    {
        var output = ProcessRunner.Run(ExternalTool.Require("caddy"), ["version"], Directory.GetCurrentDirectory(), timeout: TimeSpan.FromSeconds(30)).Stdout;
        var match = VersionPrefix().Match(output.Trim());
        if (!match.Success)
        {
            throw new InvalidOperationException($"cannot read a version from 'caddy version': {output}");
        }

        return new Version(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
    }
}
