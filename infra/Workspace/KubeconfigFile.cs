namespace HomeLab.Workspace;

/// <summary>
/// The kubeconfig file the kubernetes provider reads for a Kubernetes host, for whatever else talks to that cluster
/// (the preflight, the command that reads the proxy's CA) so that it reaches the same cluster.
/// </summary>
internal static class KubeconfigFile
{
    /// <summary>
    /// The file a stack's kubeconfig setting names: '~/' is the home directory, as pulumi-kubernetes
    /// provider/pkg/provider/util.go, parseKubeconfigString, expands it; a relative path is relative to the project,
    /// where Pulumi runs.
    /// </summary>
    public static string Stated(string stated, string projectRoot) =>
        stated.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Home, stated[2..]) : Path.GetFullPath(stated, projectRoot);

    /// <summary>
    /// The file the provider reads: the stack's (<see cref="Stated"/>), else the first file of KUBECONFIG, else
    /// ~/.kube/config (clientcmd's default loading rules).
    /// </summary>
    public static string Resolve(string? stated, string projectRoot) =>
        stated is not null
            ? Stated(stated, projectRoot)
            : Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
                ?? Path.Combine(Home, ".kube", "config");

    private static string Home => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
