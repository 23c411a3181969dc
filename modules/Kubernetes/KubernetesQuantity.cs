using System.Globalization;

namespace HomeLab.Modules.Kubernetes;

/// <summary>
/// Memory and CPU as the API server stores them, so the provider reads back what the program wrote. The API server
/// canonicalises every quantity (k8s.io/apimachinery pkg/api/resource/quantity.go, Quantity.CanonicalizeBytes and
/// String): a binary-SI amount is written with the largest power-of-1024 suffix that keeps it whole (Ki, Mi, Gi, Ti,
/// Pi, Ei), a decimal-SI amount below one in milli-units ('m') and a whole amount without a suffix.
/// </summary>
internal static class KubernetesQuantity
{
    private static readonly (string Suffix, long Factor)[] Binary = [("Ei", 1L << 60), ("Pi", 1L << 50), ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10)];

    /// <summary>A byte count in canonical binary-SI form: 25769803776 → "24Gi", 1610612736 → "1536Mi".</summary>
    public static string Bytes(long bytes)
    {
        foreach (var (suffix, factor) in Binary)
        {
            if (bytes % factor == 0)
            {
                return (bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>CPUs in canonical decimal-SI form: 4 → "4", 2.5 → "2500m", 0.25 → "250m". Validation keeps them whole millicores.</summary>
    public static string Cpus(double cpus)
    {
        var millis = (long)Math.Round(cpus * 1000);
        return millis % 1000 == 0 ? (millis / 1000).ToString(CultureInfo.InvariantCulture) : millis.ToString(CultureInfo.InvariantCulture) + "m";
    }

    /// <summary>A whole count of an extended resource (GPUs), which the API server keeps as a plain integer.</summary>
    public static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);
}
