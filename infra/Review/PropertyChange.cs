namespace HomeLab.Review;

/// <summary>
/// One property path that differs. <see cref="Before"/> and <see cref="After"/> are display forms with secrets
/// masked (null where the path does not exist on that side); <see cref="Lines"/> replaces them with a compact
/// line diff for multi-line texts such as the Caddyfile.
/// </summary>
internal sealed record PropertyChange(string Path, string? Before, string? After, IReadOnlyList<string>? Lines = null);
