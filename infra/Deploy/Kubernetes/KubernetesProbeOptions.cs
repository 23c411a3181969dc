namespace HomeLab.Deploy.Kubernetes;

/// <summary>How patient the preflight is with a cluster: attempts per request, the first retry delay (it doubles), and each request's timeout.</summary>
internal sealed record KubernetesProbeOptions(int Attempts, TimeSpan RetryDelay, TimeSpan RequestTimeout)
{
    public static readonly KubernetesProbeOptions Default = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
}
