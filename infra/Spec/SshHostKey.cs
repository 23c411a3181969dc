using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace HomeLab.Spec;

/// <summary>
/// A host's SSH public key as one line of ssh-keyscan or a .pub file ("ssh-ed25519 AAAA…", comment dropped). Not a
/// secret: it is what the deploy compares the host's answer with, so a machine at the same address without the
/// host's private key is refused.
/// </summary>
internal sealed partial record SshHostKey(string Type, string Base64)
{
    /// <summary>The key algorithms pulumi-command's SSH client (golang.org/x/crypto/ssh) verifies host keys with.</summary>
    public static readonly IReadOnlyList<string> Types = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"];

    /// <summary>What the schema and the loader accept as text, before the key blob itself is checked.</summary>
    public const string Pattern = "^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/]{20,}={0,2}( [^\\n]*)?$";

    /// <summary>The line written into the program: type and key, as OpenSSH's authorized_keys format has them.</summary>
    public override string ToString() => $"{Type} {Base64}";

    /// <summary>
    /// The key in <paramref name="text"/>, or null when it is not one: the text must match <see cref="Pattern"/>, and
    /// the base64 blob must decode to a key whose embedded type name (the blob's first SSH string, RFC 4253 6.6) is
    /// the one written before it, which catches a truncated paste or a key of another host line.
    /// </summary>
    public static SshHostKey? Parse(string text)
    {
        if (!Shape().IsMatch(text))
        {
            return null;
        }

        var parts = text.Split(' ', 3);
        var blob = new byte[parts[1].Length];
        if (!Convert.TryFromBase64String(parts[1], blob, out var length) || length < 4)
        {
            return null;
        }

        var nameLength = BinaryPrimitives.ReadUInt32BigEndian(blob);
        return nameLength <= (uint)(length - 4) && Encoding.ASCII.GetString(blob, 4, (int)nameLength) == parts[0] && length > 4 + nameLength
            ? new SshHostKey(parts[0], parts[1])
            : null;
    }

    /// <summary>The command that prints the key line for <paramref name="address"/>, ready to paste.</summary>
    public static string ScanCommand(string address, int port) =>
        $"ssh-keyscan -t ed25519{(port == 22 ? "" : $" -p {port}")} {address} 2>/dev/null | cut -d' ' -f2,3";

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
