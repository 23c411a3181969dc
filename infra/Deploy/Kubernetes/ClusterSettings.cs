using HomeLab.Spec;

namespace HomeLab.Deploy.Kubernetes;

/// <summary>
/// One Kubernetes host of a stack as the preflight needs it: how to reach the cluster and the cluster facts the stack
/// states, each with the position of its setting in <see cref="File"/> (or of the host entry where it would go when
/// the stack leaves it to its default). <see cref="Kubeconfig"/> is the file to read, already resolved (the stack's
/// path, else the first file of <c>KUBECONFIG</c>, else <c>~/.kube/config</c>); <see cref="Context"/> null means its current context;
/// <see cref="StorageClass"/> null means the cluster's default class. <see cref="NamespaceLabels"/> are labels the
/// program puts on the namespace it creates: an existing namespace without them was not created by this stack.
/// </summary>
internal sealed record ClusterSettings(
    string File,
    string Host,
    SourceMark HostAt,
    string Kubeconfig,
    SourceMark KubeconfigAt,
    string? Context,
    SourceMark ContextAt,
    string Namespace,
    SourceMark NamespaceAt,
    IReadOnlyDictionary<string, string> NamespaceLabels,
    string? StorageClass,
    SourceMark StorageClassAt,
    string RuntimeClass,
    SourceMark RuntimeClassAt);
