using System.Globalization;
using System.Text;

namespace HomeLab.Ollama;

/// <summary>Small text helpers for the client's messages.</summary>
internal static class OllamaText
{
    public static string Duration(TimeSpan span) => span.TotalSeconds >= 1
        ? span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s"
        : span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms";

    /// <summary>The start of a body on one line, control characters blanked: enough to recognise a proxy's page.</summary>
    public static string Excerpt(string text)
    {
        var line = new StringBuilder();
        foreach (var c in text.Trim().Take(200))
        {
            line.Append(char.IsControl(c) ? ' ' : c);
        }

        return line.ToString();
    }
}
