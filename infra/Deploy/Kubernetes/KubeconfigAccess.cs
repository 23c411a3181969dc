using HomeLab.Spec;

using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

using YamlDotNet.Core;

namespace HomeLab.Deploy.Kubernetes;

/// <summary>
/// The client configuration for one cluster, read from its kubeconfig file and context with KubernetesClient's own
/// reader (KubernetesClientConfiguration.LoadKubeConfig, BuildConfigFromConfigObject in kubernetes-client/csharp).
/// Knows the credentials the file holds only to keep them out of every message (<see cref="Redact"/>).
/// </summary>
internal sealed class KubeconfigAccess
{
    private readonly IReadOnlyList<string> secrets;

    private KubeconfigAccess(KubernetesClientConfiguration configuration, IReadOnlyList<string> secrets)
    {
        Configuration = configuration;
        this.secrets = secrets;
    }

    public KubernetesClientConfiguration Configuration { get; }

    /// <summary>The API server's address (scheme, host, port), never with credentials.</summary>
    public string Server => Uri.TryCreate(Configuration.Host, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : Configuration.Host;

    public string Context => Configuration.CurrentContext;

    public static KubeconfigAccess Load(ClusterSettings cluster, TimeSpan requestTimeout)
    {
        var name = $"host '{cluster.Host}'";
        if (!File.Exists(cluster.Kubeconfig))
        {
            throw Fault(cluster, cluster.KubeconfigAt,
                $"{name}: there is no kubeconfig at {cluster.Kubeconfig}",
                "point kubeconfig at the cluster's file (k3s writes /etc/rancher/k3s/k3s.yaml on its server: copy it and replace 127.0.0.1 with the server's address), or export KUBECONFIG");
        }

        K8SConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(cluster.Kubeconfig));
        }
        catch (Exception e) when (e is YamlException or KubeConfigException or InvalidOperationException or FormatException)
        {
            throw Fault(cluster, cluster.KubeconfigAt,
                $"{name}: {cluster.Kubeconfig} is not a readable kubeconfig ({Where(e)})",
                "use the file the cluster gave you unchanged (kubectl --kubeconfig FILE get nodes should work), or point kubeconfig at another one");
        }

        var secrets = Secrets(config);
        try
        {
            var configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(config, cluster.Context);
            configuration.HttpClientTimeout = requestTimeout;
            return new KubeconfigAccess(configuration, secrets);
        }
        catch (KubeConfigException e)
        {
            var contexts = config.Contexts?.Select(c => c.Name).Where(n => !string.IsNullOrEmpty(n)).ToList() ?? [];
            var known = contexts.Count == 0 ? "it names no context" : "its contexts: " + string.Join(", ", contexts);
            var redacted = Redact(e.Message, secrets);
            throw cluster.Context is { } context && !contexts.Contains(context)
                ? Fault(cluster, cluster.ContextAt, $"{name}: the kubeconfig has no context '{context}' ({known})", "set context to one of them, or remove it to use the kubeconfig's current context")
                : Fault(cluster, cluster.Context is null ? cluster.KubeconfigAt : cluster.ContextAt, $"{name}: the kubeconfig cannot be used: {redacted} ({known})",
                    "repair the kubeconfig (kubectl config view shows what is missing), or name a working context with context");
        }
    }

    /// <summary>The text with every credential of the kubeconfig (tokens, passwords, client keys and certificates) blanked out.</summary>
    public string Redact(string text) => Redact(text, secrets);

    private static string Redact(string text, IReadOnlyList<string> secrets) =>
        secrets.Aggregate(text, (current, secret) => current.Replace(secret, "[redacted]", StringComparison.Ordinal));

    private static List<string> Secrets(K8SConfiguration config) =>
        (config.Users ?? [])
            .Select(u => u.UserCredentials)
            .Where(c => c is not null)
            .SelectMany(c => new[] { c.Token, c.Password, c.ClientKeyData, c.ClientCertificateData })
            .Where(s => !string.IsNullOrEmpty(s) && s.Length >= 4)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToList();

    /// <summary>Where the YAML went wrong, without quoting the file (it holds credentials).</summary>
    private static string Where(Exception e) => e is YamlException yaml
        ? $"YAML error at line {yaml.Start.Line}, column {yaml.Start.Column}"
        : e.GetType().Name;

    private static ClusterFault Fault(ClusterSettings cluster, Spec.SourceMark at, string problem, string fix) =>
        new(new Diagnostic(cluster.File, at, problem, fix), unreachable: false);
}
