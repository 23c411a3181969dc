using HomeLab.Spec;

namespace HomeLab.Deploy.Kubernetes;

/// <summary>
/// The preflight of one Kubernetes host: reads the cluster (<see cref="KubernetesProbe"/>), compares
/// (<see cref="KubernetesCheck"/>) and says it as the Docker preflight does: problems at their settings, an
/// unreachable cluster, a line for a cluster that fits, and warnings for what could not be checked.
/// </summary>
internal static class KubernetesPreflight
{
    public static PreflightReport Run(KubernetesTarget target, KubernetesProbeOptions options) =>
        RunAsync(target, options, CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<PreflightReport> RunAsync(KubernetesTarget target, KubernetesProbeOptions options, CancellationToken cancellation)
    {
        var cluster = target.Cluster;
        KubernetesFacts facts;
        try
        {
            facts = await new KubernetesProbe(options).ReadAsync(target, cancellation).ConfigureAwait(false);
        }
        catch (ClusterFault fault)
        {
            return fault.Unreachable
                ? new PreflightReport([], [fault.Diagnostic.ToString()], [], [])
                : new PreflightReport([fault.Diagnostic], [], [], []);
        }

        var problems = KubernetesCheck.Compare(target, facts);
        var warnings = facts.Unreadable
            .Select(what => new Diagnostic(cluster.File, cluster.HostAt,
                $"warning: host '{cluster.Host}': could not read {what}, so that part was not checked",
                "grant the kubeconfig's user read access to it (get/list), or check it by hand; the deploy goes ahead as it is"))
            .ToList();
        var fit = problems.Count == 0
            ? [$"host '{cluster.Host}': ok (Kubernetes {facts.Version} at {facts.Server}, {Nodes(facts)}namespace '{cluster.Namespace}'{(facts.NamespaceExists is false ? ", to be created" : "")})"]
            : Array.Empty<string>();
        return new PreflightReport(problems, [], fit, warnings);
    }

    private static string Nodes(KubernetesFacts facts) => facts.Nodes is { } nodes ? $"{nodes.Count} node(s), " : "";
}
