namespace HomeLab.Deploy.Kubernetes;

/// <summary>The preflight's input for one Kubernetes host: the cluster and the instances the stack puts on it.</summary>
internal sealed record KubernetesTarget(ClusterSettings Cluster, IReadOnlyList<KubernetesWorkload> Workloads);
