using System.Text;

namespace HomeLab.Modules.Proxy;

/// <summary>
/// bcrypt hashes for the proxy's basic-auth users (Caddy's basic_auth verifies them with golang.org/x/crypto/bcrypt,
/// which reads the cost from the hash). The cost bounds what one wrong guess costs the proxy: a login is checked on
/// every request, so the cost Caddy's own hash-password uses (14, over a second of CPU per guess) lets a few
/// concurrent guesses starve the host. The cost here was measured (README, Security): about 50–80 ms per check on a
/// small host at cost 10 — still about a thousand times the work of an unsalted hash per guess.
/// </summary>
internal static class PasswordHasher
{
    public const int Cost = 10;

    /// <summary>bcrypt reads at most 72 bytes of a password; longer ones would be silently cut, so they are refused.</summary>
    public const int MaxBytes = 72;

    /// <summary>Why <paramref name="password"/> cannot be hashed, or null when it can.</summary>
    public static string? Problem(string password) =>
        password.Length == 0 ? "the password is empty"
        : Encoding.UTF8.GetByteCount(password) > MaxBytes ? $"the password is longer than {MaxBytes} bytes, which bcrypt would silently cut; use a shorter one"
        : password.Any(char.IsControl) ? "the password contains a control character (a line break or tab); type it again"
        : null;

    public static string Hash(string password) =>
        Problem(password) is { } problem
            ? throw new ArgumentException(problem, nameof(password))
            : BCrypt.Net.BCrypt.HashPassword(password, Cost);

    /// <summary>True when <paramref name="password"/> matches <paramref name="hash"/> (of any cost, ours or Caddy's).</summary>
    public static bool Verify(string password, string hash) => BCrypt.Net.BCrypt.Verify(password, hash);
}
