using HomeLab.Spec.Yaml;

namespace HomeLab.Spec;

/// <summary>Names of secret config keys the stack refers to (never the secrets themselves).</summary>
internal static class SecretKeys
{
    public static string? Read(YamlValue? node, string what, NodeReader r)
    {
        var key = r.Text(node, what);
        if (key is not null && !Names.SecretKey().IsMatch(key))
        {
            r.Error(node!.At, $"{what} '{key}' is not a Pulumi config key name",
                "give the name of a secret config key (letters, digits, '_'), set with 'homelab secrets STACK --set-missing'; never the secret itself");
            return null;
        }

        return key;
    }
}
