using HomeLab.Spec;

namespace HomeLab.Deploy.Kubernetes;

/// <summary>
/// Why a cluster could not be checked at all: a problem of the stack or its kubeconfig (<see cref="Unreachable"/>
/// false, exit code 2) or a cluster that does not answer (true, exit code 1, as for a Docker host).
/// </summary>
internal sealed class ClusterFault(Diagnostic diagnostic, bool unreachable) : Exception(diagnostic.ToString())
{
    public Diagnostic Diagnostic { get; } = diagnostic;

    public bool Unreachable { get; } = unreachable;
}
