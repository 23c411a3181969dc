using HomeLab.Spec;

using k8s.Models;

namespace HomeLab.Deploy.Kubernetes;

/// <summary>
/// Compares what a stack asks of one cluster with what the cluster has. Pure: every mismatch becomes one diagnostic
/// at the setting to change, saying what the cluster has and how to fix it. Nodes are compared by their allocatable
/// resources (node.status.allocatable), as the scheduler's NodeResourcesFit filter does (Kubernetes
/// pkg/scheduler/framework/plugins/noderesources/fit.go, fitsRequest) before it subtracts what pods already there
/// request: "fits" means fits on the node with nothing else on it.
/// </summary>
internal static class KubernetesCheck
{
    /// <summary>The annotations that make a StorageClass the default (Kubernetes pkg/apis/storage/util/helpers.go, IsDefaultAnnotation).</summary>
    public static readonly string[] DefaultClassAnnotations = ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"];

    public static IReadOnlyList<Diagnostic> Compare(KubernetesTarget target, KubernetesFacts facts)
    {
        var cluster = target.Cluster;
        var problems = new List<Diagnostic>();
        var name = $"host '{cluster.Host}'";
        Diagnostic Problem(Spec.SourceMark at, string problem, string fix) => new(cluster.File, at, $"{name}: {problem}", fix);

        if (facts.NamespaceExists is false && facts.MayCreateNamespace is false)
        {
            problems.Add(Problem(cluster.NamespaceAt,
                $"namespace '{cluster.Namespace}' does not exist, and the kubeconfig's user may not create namespaces",
                $"create it once as a cluster admin (kubectl create namespace {cluster.Namespace}), or set namespace to one that exists and the user may deploy into"));
        }

        // The program creates the namespace; without upsertExistingObjects the provider's create of one that exists fails
        // with AlreadyExists (pulumi-kubernetes provider/pkg/await/await.go, Creation). One this stack made carries its labels.
        if (facts.NamespaceLabels is { } labels && cluster.NamespaceLabels.Any(l => labels.GetValueOrDefault(l.Key) != l.Value))
        {
            problems.Add(Problem(cluster.NamespaceAt,
                $"namespace '{cluster.Namespace}' already exists and this stack did not create it (it lacks {string.Join(", ", cluster.NamespaceLabels.Select(l => $"{l.Key}={l.Value}"))}); the deploy creates its namespace and would fail with AlreadyExists",
                "name a namespace that does not exist yet (or remove namespace to use the stack's own), or delete the existing one if it is empty (kubectl delete namespace " + cluster.Namespace + ")"));
        }

        if (facts.MayCreateStatefulSets is false)
        {
            problems.Add(Problem(cluster.NamespaceAt,
                $"the kubeconfig's user may not create StatefulSets in namespace '{cluster.Namespace}'",
                $"grant it the edit role there (kubectl create rolebinding homelab-edit --clusterrole=edit --user=USER -n {cluster.Namespace}), or use a context with those rights"));
        }

        if (facts.StorageClasses is { } classes && StorageProblem(cluster, classes) is var (storageProblem, storageFix))
        {
            problems.Add(Problem(cluster.StorageClassAt, storageProblem, storageFix));
        }

        if (facts.RuntimeClasses is { } runtimes && !runtimes.Any(r => r.Metadata?.Name == cluster.RuntimeClass))
        {
            var nvidia = target.Workloads.Where(w => w.Vendor is Spec.GpuVendor.Nvidia).Select(w => $"'{w.Name}'");
            problems.Add(Problem(cluster.RuntimeClassAt,
                $"RuntimeClass '{cluster.RuntimeClass}' does not exist (the cluster has {Names(runtimes.Select(r => r.Metadata?.Name ?? "?"))}); the pods of {string.Join(", ", nvidia)} would be refused, or run without the GPU",
                "install the NVIDIA Container Toolkit on the GPU node and restart k3s there (k3s finds the nvidia runtime at start and offers RuntimeClass 'nvidia'); elsewhere create a RuntimeClass with handler nvidia; or set runtimeClass to one the cluster has"));
        }

        if (facts.Nodes is { } nodes)
        {
            foreach (var workload in target.Workloads)
            {
                problems.AddRange(NodeProblems(workload, nodes).Select(p => Problem(p.At, $"instance '{workload.Name}' {p.Problem}", p.Fix)));
            }
        }

        return problems;
    }

    public static bool IsDefault(V1StorageClass storageClass) =>
        DefaultClassAnnotations.Any(a => storageClass.Metadata?.Annotations?.TryGetValue(a, out var value) == true && value == "true");

    private static (string Problem, string Fix)? StorageProblem(ClusterSettings cluster, IReadOnlyList<V1StorageClass> classes)
    {
        var names = classes.Select(c => c.Metadata?.Name ?? "?").Order(StringComparer.Ordinal).ToList();
        var listed = Names(classes.OrderBy(c => c.Metadata?.Name, StringComparer.Ordinal).Select(c => c.Metadata?.Name + (IsDefault(c) ? " (default)" : "")));
        var defaults = classes.Where(IsDefault).Select(c => c.Metadata?.Name).ToList();
        if (cluster.StorageClass is { } wanted)
        {
            return names.Contains(wanted)
                ? null
                : ($"storage class '{wanted}' does not exist (the cluster has {listed}); the model volumes' claims would stay Pending",
                    names.Count == 0
                        ? "install a volume provisioner (k3s ships local-path unless started with --disable local-storage), or remove storageClass once the cluster has a default"
                        : $"set storageClass to one of {string.Join(", ", names)}, or remove it to use the cluster's default{(defaults.Count > 0 ? $" '{defaults[0]}'" : "")}");
        }

        return defaults.Count > 0
            ? null
            : ($"no storageClass is named and the cluster has no default storage class (it has {listed}); the model volumes' claims would stay Pending",
                names.Count == 0
                    ? "install a volume provisioner (k3s ships local-path unless started with --disable local-storage) and make it the default"
                    : $"name one with storageClass ({string.Join(", ", names)}), or make one the default: kubectl patch storageclass {names[0]} -p '{{\"metadata\":{{\"annotations\":{{\"{DefaultClassAnnotations[0]}\":\"true\"}}}}}}'");
    }

    private static IEnumerable<(Spec.SourceMark At, string Problem, string Fix)> NodeProblems(KubernetesWorkload workload, IReadOnlyList<V1Node> nodes)
    {
        var usable = nodes.Where(Schedulable).ToList();
        var chosen = usable.Where(n => workload.NodeSelector.All(l => n.Metadata?.Labels?.TryGetValue(l.Key, out var v) == true && v == l.Value)).ToList();
        if (workload.NodeSelector.Count > 0 && chosen.Count == 0)
        {
            var wanted = string.Join(",", workload.NodeSelector.Select(l => $"{l.Key}={l.Value}"));
            yield return (workload.NodeSelectorAt, $"selects nodes labelled {wanted}, and no ready, schedulable node is (nodes: {Names(usable.Select(NodeName))})",
                $"label the node it should run on (kubectl label node NODE {wanted.Replace(',', ' ')}), or correct nodeSelector");
            yield break;
        }

        var perNode = new List<(string Node, long Replicas)>();
        if (workload.GpuResource is { } resource)
        {
            var offering = chosen.Select(n => (Node: NodeName(n), Count: Allocatable(n, resource))).Where(n => n.Count > 0).ToList();
            if (offering.Count == 0)
            {
                var elsewhere = usable.Where(n => Allocatable(n, resource) > 0).Select(NodeName).ToList();
                var others = nodes.SelectMany(n => n.Status?.Allocatable?.Keys ?? []).Where(k => k.Contains("gpu", StringComparison.Ordinal) && k != resource).Distinct().Order(StringComparer.Ordinal).ToList();
                yield return elsewhere.Count > 0
                    ? (workload.NodeSelectorAt, $"asks for {resource}, and no node its nodeSelector picks offers it (nodes that do: {string.Join(", ", elsewhere)})",
                        "widen nodeSelector to a GPU node, or label one to match")
                    : (workload.GpuAt, $"asks for {workload.GpuCount} {resource} per replica, and no node offers any allocatable {resource} (no device plugin advertises it{(others.Count > 0 ? $"; nodes offer {string.Join(", ", others)}" : "")})",
                        DevicePluginAdvice.Fix(workload.Vendor, resource));
                yield break;
            }

            var most = offering.MaxBy(n => n.Count);
            if (most.Count < workload.GpuCount)
            {
                yield return (workload.GpuAt, $"asks for {workload.GpuCount} {resource} per replica, and the most one node offers is {most.Count} ({most.Node})",
                    $"set count to at most {most.Count}; a pod's GPUs all come from one node");
                yield break;
            }

            perNode.AddRange(offering.Select(n => (n.Node, n.Count / workload.GpuCount)));
        }

        if (workload.MemoryBytes is { } memory)
        {
            var largest = chosen.Select(n => (Node: NodeName(n), Bytes: AllocatableBytes(n))).MaxBy(n => n.Bytes);
            if (largest.Node is null || largest.Bytes < memory)
            {
                yield return (workload.MemoryAt, $"asks for memory {PreflightText.Size(memory)} per replica, and the largest node has {PreflightText.Size(largest.Bytes)} allocatable{(largest.Node is null ? "" : $" ({largest.Node})")}",
                    $"set memory to at most {PreflightText.Size(largest.Bytes)}, or add a node with more memory");
                yield break;
            }

            var byMemory = chosen.ToDictionary(NodeName, n => AllocatableBytes(n) / memory, StringComparer.Ordinal);
            perNode = workload.GpuResource is null
                ? byMemory.Select(n => (n.Key, n.Value)).ToList()
                : perNode.Select(n => (n.Node, Math.Min(n.Replicas, byMemory.GetValueOrDefault(n.Node)))).ToList();
        }

        var room = perNode.Sum(n => n.Replicas);
        if (perNode.Count > 0 && room < workload.Replicas)
        {
            var each = string.Join(", ", perNode.Where(n => n.Replicas > 0).Select(n => $"{n.Node}: {n.Replicas}"));
            yield return (workload.ReplicasAt, $"asks for {workload.Replicas} replicas, and the nodes hold at most {room} of them ({(each.Length > 0 ? each : "none fits")}) by {(workload.GpuResource is null ? "memory" : "GPUs and memory")}",
                $"set replicas to at most {room}, or add GPUs or nodes");
        }
    }

    /// <summary>A node the scheduler would consider: not cordoned (spec.unschedulable) and Ready (status.conditions).</summary>
    private static bool Schedulable(V1Node node) =>
        node.Spec?.Unschedulable != true && node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static long Allocatable(V1Node node, string resource) =>
        node.Status?.Allocatable?.TryGetValue(resource, out var quantity) == true ? quantity.ToInt64() : 0;

    private static long AllocatableBytes(V1Node node) => Allocatable(node, "memory");

    private static string NodeName(V1Node node) => node.Metadata?.Name ?? "?";

    private static string Names(IEnumerable<string> names) => names.ToList() is { Count: > 0 } list ? string.Join(", ", list) : "none";
}
