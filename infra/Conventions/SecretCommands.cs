namespace HomeLab.Conventions;

/// <summary>The command lines a message gives an operator to put a stack's secret config right.</summary>
internal static class SecretCommands
{
    /// <summary>Sets every secret the stack needs that its config lacks: generated, or asked for without echo.</summary>
    public static string SetMissing(string stack) => $"homelab secrets {stack} --set-missing";

    /// <summary>Prints a key's value, decrypted: how a client, or an operator running the hooks by hand, reads a secret.</summary>
    public static string Get(string key, string stack) => $"pulumi config get {key} --stack {stack}";

    /// <summary>Removes a key stored in plain text, so that it can be set again encrypted.</summary>
    public static string Remove(string key, string stack) => $"pulumi config rm {key} --stack {stack}";
}
