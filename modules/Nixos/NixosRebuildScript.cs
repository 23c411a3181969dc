using System.Text;

using HomeLab.Conventions;
using HomeLab.Spec;
using HomeLab.Spec.Shape;

namespace HomeLab.Modules.Nixos;

/// <summary>
/// The last step on a NixOS host: nixos-rebuild in the stack's mode, then proof that the new system was built from
/// the values.json just delivered (its digest, compared with the copy the module places under /etc).
/// </summary>
internal static class NixosRebuildScript
{
    public static string Text(StackSpec spec, NixosHostSpec host, string valuesDigest)
    {
        const string configDir = NixosScript.ConfigDir;

        // The stack's rebuild words are nixos-rebuild's own actions.
        var mode = SpecShape.Rebuilds.Of(host.Rebuild);

        // 'boot' only updates the system profile; 'switch' and 'test' activate the new system at once.
        var built = host.Rebuild is RebuildMode.Boot ? "/nix/var/nix/profiles/system" : "/run/current-system";
        var script = new StringBuilder(NixosScript.Header);
        script.Append(NixosImportCheck.Text(spec, host));
        if (NixosScript.InsideConfig(host) is { } dir)
        {
            var files = $"{dir}/{NixosModule.FileName} {dir}/{NixosModule.ValuesFileName}";
            script.Append("if [ -e ").Append(configDir).Append("/flake.nix ] && [ -d ").Append(configDir).Append("/.git ] && ! ")
                .Append(NixosScript.Privileged(host, $"git -C {configDir} ls-files --error-unmatch {files} >/dev/null 2>&1")).Append("; then\n")
                .Append("  ").Append(NixosScript.Fail($"the flake in {configDir} cannot see files git does not track; run once: sudo git -C {configDir} add --intent-to-add {files}")).Append('\n')
                .Append("fi\n");
        }

        // A login shell, so nixos-rebuild finds NIX_PATH as an administrator's shell would.
        script.Append(NixosScript.Privileged(host, "sh -lc " + Shell.Quote("nixos-rebuild " + mode))).Append('\n');
        // nix/homelab.nix places its values file at /etc/homelab/values.json (environment.etc).
        var builtValues = $"{built}/etc/homelab/{NixosModule.ValuesFileName}";
        script.Append("printf '%s  %s\\n' ").Append(Shell.Quote(ContentDigest.Hex(valuesDigest))).Append(' ').Append(Shell.Quote(builtValues))
            .Append(" | sha256sum -c --status || ")
            .Append(NixosScript.Fail($"nixos-rebuild {mode} finished, but the new system was not built from {NixosScript.ValuesPath(host)}: check that the import line in {configDir} is active (not commented out or inside a disabled block)")).Append('\n');
        return script.ToString();
    }
}
