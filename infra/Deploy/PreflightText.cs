using System.Globalization;

namespace HomeLab.Deploy;

/// <summary>How the preflight writes numbers for people: sizes in GiB with one decimal, invariant culture.</summary>
internal static class PreflightText
{
    public static string Size(long bytes) => (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB";
}
