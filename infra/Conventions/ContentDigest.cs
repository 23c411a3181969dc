using System.Security.Cryptography;
using System.Text;

namespace HomeLab.Conventions;

/// <summary>
/// How HomeLab names content by its digest ("sha256:" and the hex of its UTF-8 bytes): triggers that re-run a step
/// when what it delivers changes, the healthcheck label, a custom model's definition in the hooks' report.
/// </summary>
internal static class ContentDigest
{
    private const string Prefix = "sha256:";

    public static string Of(string text) => Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The hex digits of a digest <see cref="Of"/> made, as sha256sum prints and checks them.</summary>
    public static string Hex(string digest) =>
        digest.StartsWith(Prefix, StringComparison.Ordinal) ? digest[Prefix.Length..] : throw new ArgumentException($"'{digest}' is not a {Prefix} content digest", nameof(digest));

    /// <summary>The first <paramref name="hexDigits"/> hex digits only, for values people read (a Docker label).</summary>
    public static string Short(string text, int hexDigits) => Of(text)[..(Prefix.Length + hexDigits)];
}
