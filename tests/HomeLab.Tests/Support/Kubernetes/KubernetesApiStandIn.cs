using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

using k8s;
using k8s.Models;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HomeLab.Tests.Support.Kubernetes;

/// <summary>
/// A Kubernetes API server stand-in on 127.0.0.1 (plain http) for the paths the preflight reads. Its answers are
/// KubernetesClient model objects serialized as the API server sends them (camelCase JSON, nulls left out, lists with
/// apiVersion/kind/metadata and bare items). Each behaviour follows kubernetes/apiserver and kubernetes/apimachinery
/// v0.36.3 (staging of Kubernetes v1.36):
/// <list type="bullet">
/// <item>a request whose bearer token is not <see cref="Token"/> gets 401 with Status{reason Unauthorized, message
/// "Unauthorized"} (apiserver pkg/endpoints/filters/authentication.go, Unauthorized → apierrors.NewUnauthorized);</item>
/// <item>a read the user may not do gets 403 with the message of responsewriters.forbiddenMessage (apiserver
/// pkg/endpoints/handlers/responsewriters/errors.go) wrapped by apierrors.NewForbidden;</item>
/// <item>a missing object gets 404 with apierrors.NewNotFound's Status (message `resource.group "name" not found`,
/// details name/group/kind);</item>
/// <item>POST selfsubjectaccessreviews answers 201 with the review and status.allowed for the caller itself
/// (kubernetes pkg/registry/authorization/selfsubjectaccessreview/rest.go, Create; handlers/create.go answers 201).</item>
/// </list>
/// Paths (core and named groups, API reference v1.36): GET /version/ (a go-restful service at /version with route
/// GET "/", apiserver pkg/server/routes/version.go, Install; KubernetesClient asks for "version/"); GET /api/v1/namespaces/{name};
/// GET /apis/storage.k8s.io/v1/storageclasses; GET /apis/node.k8s.io/v1/runtimeclasses[/{name}]; GET /api/v1/nodes;
/// POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews.
/// </summary>
public sealed class KubernetesApiStandIn : IAsyncDisposable
{
    /// <summary>metav1.Status as the API server writes it; KubernetesClient's own converter only reads Status objects.</summary>
    private static readonly JsonSerializerOptions StatusJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly WebApplication app;

    private KubernetesApiStandIn(WebApplication app)
    {
        this.app = app;
        app.Use(AuthenticateAsync);
        app.MapGet("/version/", () => Json(Version));
        app.MapGet("/api/v1/namespaces/{name}", (string name) => Read("get", "", "namespaces", name, () => Namespaces.GetValueOrDefault(name)));
        app.MapGet("/api/v1/nodes", () => List("nodes", "", () => new V1NodeList { ApiVersion = "v1", Kind = "NodeList", Metadata = ListMeta(), Items = [.. Nodes] }));
        app.MapGet("/apis/storage.k8s.io/v1/storageclasses", () => List("storageclasses", "storage.k8s.io",
            () => new V1StorageClassList { ApiVersion = "storage.k8s.io/v1", Kind = "StorageClassList", Metadata = ListMeta(), Items = [.. StorageClasses] }));
        app.MapGet("/apis/node.k8s.io/v1/runtimeclasses", () => List("runtimeclasses", "node.k8s.io",
            () => new V1RuntimeClassList { ApiVersion = "node.k8s.io/v1", Kind = "RuntimeClassList", Metadata = ListMeta(), Items = [.. RuntimeClasses] }));
        app.MapGet("/apis/node.k8s.io/v1/runtimeclasses/{name}", (string name) => Read("get", "node.k8s.io", "runtimeclasses", name,
            () => RuntimeClasses.FirstOrDefault(r => r.Metadata.Name == name) is { } found ? found with { ApiVersion = "node.k8s.io/v1", Kind = "RuntimeClass" } : null));
        app.MapPost("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", ReviewAsync);
    }

    /// <summary>The bearer token the stand-in accepts: fake, different per stand-in, so a test can prove it is never printed.</summary>
    public string Token { get; } = "fake-token-" + Guid.NewGuid().ToString("N");

    public string User { get; set; } = "homelab-tester";

    public Uri Url { get; private set; } = null!;

    public VersionInfo Version { get; set; } = new()
    {
        Major = "1",
        Minor = "31",
        GitVersion = "v1.31.4+k3s1",
        GitCommit = "a2d4e0e1b3d4e0e1b3d4e0e1b3d4e0e1b3d4e0e1",
        GitTreeState = "clean",
        BuildDate = "2024-12-17T19:09:45Z",
        GoVersion = "go1.22.9",
        Compiler = "gc",
        Platform = "linux/amd64",
    };

    public ConcurrentDictionary<string, V1Namespace> Namespaces { get; } = new(StringComparer.Ordinal)
    {
        ["default"] = KubernetesObjects.Namespace("default"),
        ["kube-system"] = KubernetesObjects.Namespace("kube-system"),
    };

    public List<V1StorageClass> StorageClasses { get; } = [];

    public List<V1RuntimeClass> RuntimeClasses { get; } = [];

    public List<V1Node> Nodes { get; } = [];

    /// <summary>What the user may not do, as "verb resource" ("list nodes", "create namespaces"): reads get 403, reviews allowed=false.</summary>
    public HashSet<string> Denied { get; } = [];

    /// <summary>How many of the next requests answer <see cref="FailWith"/>, to prove the preflight retries.</summary>
    public int FailNext { get; set; }

    /// <summary>What a failed request answers: 503 by default (an API server restarting).</summary>
    public V1Status FailWith { get; set; } = new() { Status = "Failure", Code = 503, Reason = "ServiceUnavailable", Message = "the server is currently unable to handle the request" };

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>A cluster as k3s sets one up: local-path as the default class, RuntimeClass nvidia, and the given nodes.</summary>
    public static async Task<KubernetesApiStandIn> StartK3sAsync(params V1Node[] nodes)
    {
        var standIn = await StartAsync().ConfigureAwait(false);
        standIn.StorageClasses.Add(KubernetesObjects.StorageClass("local-path", isDefault: true));
        standIn.RuntimeClasses.Add(KubernetesObjects.RuntimeClass("nvidia"));
        standIn.Nodes.AddRange(nodes);
        return standIn;
    }

    public static async Task<KubernetesApiStandIn> StartAsync()
    {
        var standIn = new KubernetesApiStandIn(LoopbackServer.Create());
        standIn.Url = await LoopbackServer.StartAsync(standIn.app).ConfigureAwait(false);
        return standIn;
    }

    /// <summary>Writes a kubeconfig for this stand-in (a bearer token user, as a k3s service account kubeconfig has) and returns its path.</summary>
    public string WriteKubeconfig(string directory, string context = "homelab-test", string? token = null) =>
        Kubeconfig.Write(directory, Url.GetLeftPart(UriPartial.Authority), context, token ?? Token);

    public async ValueTask DisposeAsync()
    {
        await LoopbackServer.StopAsync(app).ConfigureAwait(false);
    }

    private async Task AuthenticateAsync(HttpContext context, RequestDelegate next)
    {
        Requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
        if (FailNext > 0)
        {
            FailNext--;
            await Status(FailWith).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            await Status(new V1Status { Status = "Failure", Code = 401, Reason = "Unauthorized", Message = "Unauthorized" }).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private async Task<IResult> ReviewAsync(HttpRequest request)
    {
        var review = KubernetesJson.Deserialize<V1SelfSubjectAccessReview>(await new StreamReader(request.Body).ReadToEndAsync().ConfigureAwait(false));
        var attributes = review.Spec.ResourceAttributes;
        var allowed = !Denied.Contains($"{attributes.Verb} {attributes.Resource}");
        review.Status = new V1SubjectAccessReviewStatus { Allowed = allowed, Reason = allowed ? "RBAC: allowed by ClusterRoleBinding \"homelab\"" : null };
        review.Metadata ??= new V1ObjectMeta();
        return Json(review, StatusCodes.Status201Created);
    }

    private IResult Read(string verb, string group, string resource, string name, Func<object?> find)
    {
        if (Denied.Contains($"{verb} {resource}"))
        {
            return Forbidden(verb, group, resource, name);
        }

        return find() is { } found
            ? Json(found)
            : Status(new V1Status
            {
                Status = "Failure",
                Code = 404,
                Reason = "NotFound",
                Message = $"{Qualified(group, resource)} \"{name}\" not found",
                Details = new V1StatusDetails { Name = name, Group = group.Length == 0 ? null : group, Kind = resource },
            });
    }

    private IResult List(string resource, string group, Func<object> list) =>
        Denied.Contains($"list {resource}") ? Forbidden("list", group, resource, "") : Json(list());

    private IResult Forbidden(string verb, string group, string resource, string name) => Status(new V1Status
    {
        Status = "Failure",
        Code = 403,
        Reason = "Forbidden",
        Message = $"{Qualified(group, resource)}{(name.Length > 0 ? $" \"{name}\"" : "")} is forbidden: User \"{User}\" cannot {verb} resource \"{resource}\" in API group \"{group}\" at the cluster scope",
        Details = new V1StatusDetails { Name = name.Length == 0 ? null : name, Group = group.Length == 0 ? null : group, Kind = resource },
    });

    private static string Qualified(string group, string resource) => group.Length == 0 ? resource : $"{resource}.{group}";

    private static V1ListMeta ListMeta() => new() { ResourceVersion = "4242" };

    private static IResult Json(object value, int status = StatusCodes.Status200OK) =>
        Results.Text(KubernetesJson.Serialize(value), "application/json", statusCode: status);

    private static IResult Status(V1Status status) => Results.Text(
        JsonSerializer.Serialize(status with { ApiVersion = "v1", Kind = "Status", Metadata = new V1ListMeta() }, StatusJson), "application/json", statusCode: status.Code);
}
