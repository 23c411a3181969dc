using System.Net;
using System.Security.Authentication;

using HomeLab.Spec;

using k8s;
using k8s.Autorest;
using k8s.Models;

using Polly;
using Polly.Retry;

namespace HomeLab.Deploy.Kubernetes;

/// <summary>
/// Reads what the preflight needs from one cluster over the Kubernetes API, with the stack's kubeconfig and context:
/// GET /version, GET /api/v1/namespaces/{ns}, POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews,
/// GET /apis/storage.k8s.io/v1/storageclasses, GET /apis/node.k8s.io/v1/runtimeclasses[/{name}], GET /api/v1/nodes.
/// A fault of the network or a 5xx/429 answer is retried within <see cref="KubernetesProbeOptions"/>, then reported
/// once; 401 and a kubeconfig that cannot be used are problems of the stack's setting; 403 on a read is a gap in
/// what could be checked (a warning), not a reason to stop.
/// </summary>
internal sealed class KubernetesProbe(KubernetesProbeOptions options)
{
    private const string Forbidden = "forbidden";

    public async Task<KubernetesFacts> ReadAsync(KubernetesTarget target, CancellationToken cancellation)
    {
        var cluster = target.Cluster;
        var access = KubeconfigAccess.Load(cluster, options.RequestTimeout);
        using var client = new k8s.Kubernetes(access.Configuration);
        var retry = Pipeline();
        var unreadable = new List<string>();

        // A 404 is an answer only where the caller asks whether something exists (absentIsAnAnswer: it gets the
        // exception); anywhere else it is a fault of the cluster's address, reported like any other.
        async Task<T?> Read<T>(string what, Func<CancellationToken, Task<T>> call, bool absentIsAnAnswer = false)
            where T : class
        {
            var attempts = 0;
            try
            {
                return await retry.ExecuteAsync(async token => { attempts++; return await call(token).ConfigureAwait(false); }, cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (Status(e) is HttpStatusCode.Forbidden)
            {
                unreadable.Add($"{what} ({access.Redact(Message(e))})");
                return null;
            }
            catch (Exception e) when (!(absentIsAnAnswer && Status(e) is HttpStatusCode.NotFound))
            {
                throw Fault(cluster, access, e, attempts);
            }
        }

        var version = await Read("/version", t => client.Version.GetCodeAsync(t)).ConfigureAwait(false);

        bool? namespaceExists;
        IReadOnlyDictionary<string, string>? namespaceLabels = null;
        try
        {
            var found = await Read($"namespace '{cluster.Namespace}'", t => client.CoreV1.ReadNamespaceAsync(cluster.Namespace, cancellationToken: t), absentIsAnAnswer: true).ConfigureAwait(false);
            namespaceExists = found is not null ? true : null;
            namespaceLabels = found is null ? null : new Dictionary<string, string>(found.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        }
        catch (Exception e) when (Status(e) is HttpStatusCode.NotFound)
        {
            namespaceExists = false;
        }

        bool? mayCreateNamespace = namespaceExists is false
            ? await May("create", "", "namespaces", null).ConfigureAwait(false)
            : null;
        bool? mayCreateStatefulSets = namespaceExists is false
            ? null
            : await May("create", "apps", "statefulsets", cluster.Namespace).ConfigureAwait(false);

        var workloads = target.Workloads;
        var storageClasses = workloads.Count == 0
            ? null
            : (await Read("storage classes", t => client.StorageV1.ListStorageClassAsync(cancellationToken: t)).ConfigureAwait(false))?.Items.ToList();
        var runtimeClasses = workloads.Any(w => w.Vendor is Spec.GpuVendor.Nvidia)
            ? await RuntimeClasses().ConfigureAwait(false)
            : null;
        var nodes = workloads.Any(w => w.GpuResource is not null || w.MemoryBytes is not null)
            ? (await Read("nodes", t => client.CoreV1.ListNodeAsync(cancellationToken: t)).ConfigureAwait(false))?.Items.ToList()
            : null;

        return new KubernetesFacts(access.Server, version?.GitVersion ?? "?", namespaceExists, namespaceLabels, mayCreateNamespace, mayCreateStatefulSets, storageClasses, runtimeClasses, nodes, unreadable);

        // SelfSubjectAccessReview (authorization.k8s.io/v1): the API server answers for the caller's own credentials.
        async Task<bool?> May(string verb, string group, string resource, string? inNamespace)
        {
            var review = new V1SelfSubjectAccessReview
            {
                ApiVersion = "authorization.k8s.io/v1",
                Kind = "SelfSubjectAccessReview",
                Spec = new V1SelfSubjectAccessReviewSpec
                {
                    ResourceAttributes = new V1ResourceAttributes { Verb = verb, Group = group, Resource = resource, NamespaceProperty = inNamespace },
                },
            };
            var answer = await Read($"whether it may {verb} {resource}", t => client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(review, cancellationToken: t)).ConfigureAwait(false);
            return answer?.Status?.Allowed;
        }

        async Task<IReadOnlyList<V1RuntimeClass>?> RuntimeClasses()
        {
            try
            {
                var named = await Read($"RuntimeClass '{cluster.RuntimeClass}'", t => client.NodeV1.ReadRuntimeClassAsync(cluster.RuntimeClass, cancellationToken: t), absentIsAnAnswer: true).ConfigureAwait(false);
                return named is null ? null : [named];
            }
            catch (Exception e) when (Status(e) is HttpStatusCode.NotFound)
            {
                return (await Read("runtime classes", t => client.NodeV1.ListRuntimeClassAsync(cancellationToken: t)).ConfigureAwait(false))?.Items.ToList() ?? [];
            }
        }
    }

    /// <summary>At most <see cref="KubernetesProbeOptions.Attempts"/> tries of a transient fault; one try when it is 1.</summary>
    private ResiliencePipeline Pipeline() => options.Attempts <= 1 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
    {
        ShouldHandle = new PredicateBuilder().Handle<Exception>(Transient),
        MaxRetryAttempts = options.Attempts - 1,
        Delay = options.RetryDelay,
        BackoffType = DelayBackoffType.Exponential,
    }).Build();

    /// <summary>Worth another try: the network, a timeout, an API server that is busy or failing (5xx, 429); never a refused certificate.</summary>
    private static bool Transient(Exception e) => e switch
    {
        HttpRequestException http => http.InnerException is not AuthenticationException,
        TaskCanceledException or TimeoutException => true,
        HttpOperationException op => op.Response?.StatusCode is HttpStatusCode.TooManyRequests || (int?)op.Response?.StatusCode >= 500,
        _ => false,
    };

    private static HttpStatusCode? Status(Exception e) => (e as HttpOperationException)?.Response?.StatusCode;

    /// <summary>The API server's own words (metav1.Status.message) when it sent a Status object, else the exception's first line.</summary>
    private static string Message(Exception e)
    {
        if (e is HttpOperationException { Response: { Content: { Length: > 0 } body } response })
        {
            try
            {
                if (KubernetesJson.Deserialize<V1Status>(body)?.Message is { Length: > 0 } message)
                {
                    return message;
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Not a Status object (a proxy in front of the API server, say): fall through to the status code.
            }

            return $"HTTP {(int)response.StatusCode}";
        }

        return e is HttpOperationException op ? $"HTTP {(int)op.Response.StatusCode}" : e.Message.Split('\n')[0];
    }

    /// <param name="attempts">How many times the request was sent: a fault that is not transient is not tried again.</param>
    private static ClusterFault Fault(ClusterSettings cluster, KubeconfigAccess access, Exception e, int attempts)
    {
        var name = $"host '{cluster.Host}'";
        var where = $"the cluster at {access.Server} (context '{access.Context}')";
        var at = cluster.Context is not null ? cluster.ContextAt : cluster.KubeconfigAt;
        var said = access.Redact(Message(e));
        return e switch
        {
            _ when Status(e) is HttpStatusCode.Unauthorized => new ClusterFault(new Diagnostic(cluster.File, at,
                $"{name}: {where} refused the kubeconfig's credentials (401 {said})",
                "renew the credentials (k3s: copy /etc/rancher/k3s/k3s.yaml from the server again; a token may have expired or been revoked), or name a context whose user the cluster knows"), unreachable: false),
            HttpRequestException { InnerException: AuthenticationException } => new ClusterFault(new Diagnostic(cluster.File, at,
                $"{name}: {where} presented a certificate the kubeconfig's certificate-authority does not trust ({said})",
                "take certificate-authority-data from the cluster's own kubeconfig (k3s: /etc/rancher/k3s/k3s.yaml), and use the address the certificate names"), unreachable: false),
            HttpOperationException => new ClusterFault(new Diagnostic(cluster.File, at,
                $"{name}: {where} answered {said} after {attempts} attempt(s)",
                "check the API server's health (kubectl get --raw /readyz) and try again"), unreachable: true),
            _ => new ClusterFault(new Diagnostic(cluster.File, at,
                $"{name}: {where} does not answer ({said}) after {attempts} attempt(s)",
                "check that the cluster runs and this machine reaches it (kubectl get nodes with the same kubeconfig and context); k3s: systemctl status k3s on the server, port 6443 open"), unreachable: true),
        };
    }
}
