using k8s.Models;

namespace HomeLab.Deploy.Kubernetes;

/// <summary>
/// What the preflight read from one cluster, as the API server's own objects. A list is null when it was not needed
/// or the credentials may not read it (<see cref="Unreadable"/> then says what and why). <see cref="RuntimeClasses"/>
/// holds the one named class when it exists, else every class the cluster has. <see cref="MayCreateNamespace"/> is
/// asked only when the namespace is missing (<see cref="NamespaceLabels"/> are an existing one's labels), <see cref="MayCreateStatefulSets"/> when it exists or cannot be read.
/// </summary>
internal sealed record KubernetesFacts(
    string Server,
    string Version,
    bool? NamespaceExists,
    IReadOnlyDictionary<string, string>? NamespaceLabels,
    bool? MayCreateNamespace,
    bool? MayCreateStatefulSets,
    IReadOnlyList<V1StorageClass>? StorageClasses,
    IReadOnlyList<V1RuntimeClass>? RuntimeClasses,
    IReadOnlyList<V1Node>? Nodes,
    IReadOnlyList<string> Unreadable);
