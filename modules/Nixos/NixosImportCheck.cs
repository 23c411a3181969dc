using System.Text;

using HomeLab.Spec;

namespace HomeLab.Modules.Nixos;

/// <summary>
/// A quick look for the import line in /etc/nixos, so a first deploy fails with the line to add rather than with a
/// rebuild that silently leaves the module out. The rebuild step proves it afterwards.
/// </summary>
internal static class NixosImportCheck
{
    public static string Text(StackSpec spec, NixosHostSpec host)
    {
        const string configDir = NixosScript.ConfigDir;
        var modulePath = NixosScript.ModulePath(host);
        var relative = NixosScript.InsideConfig(host) is { } dir ? $"./{dir}/{NixosModule.FileName}" : null;
        var activeLines = NixosScript.Privileged(host, $"find {configDir} -name '*.nix' ! -path {Shell.Quote(host.ModuleDir + "/*")} -exec sed 's/#.*//' {{}} + 2>/dev/null");
        var script = new StringBuilder();
        script.Append("if [ -e ").Append(configDir).Append("/flake.nix ]; then\n");
        if (relative is null)
        {
            script.Append("  ").Append(NixosScript.Fail($"a flake cannot import files outside {configDir}: set 'moduleDir' of host '{host.Name}' in stacks/{spec.Name}.yaml to a folder under {configDir}, such as {configDir}/homelab")).Append('\n');
        }
        else
        {
            script.Append("  ").Append(activeLines).Append(" | grep -qF -e ").Append(Shell.Quote(relative)).Append(" || ")
                .Append(NixosScript.Fail($"{configDir}/flake.nix does not import the HomeLab module. Add {relative} to the modules list of this host's nixosConfigurations entry, then run pulumi up again.")).Append('\n');
        }

        script.Append("else\n");
        script.Append("  ").Append(activeLines).Append(" | grep -qF -e ").Append(Shell.Quote(modulePath));
        if (relative is not null)
        {
            script.Append(" -e ").Append(Shell.Quote(relative));
        }

        script.Append(" || ").Append(NixosScript.Fail(
            $"{configDir}/configuration.nix does not import the HomeLab module. Add this line inside its top-level {{ ... }} " +
            $"(or add the path to the imports list it already has), then run pulumi up again:\n    imports = [ {modulePath} ];")).Append('\n');
        script.Append("fi\n");
        return script.ToString();
    }
}
