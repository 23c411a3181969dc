using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;


using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HomeLab.Tests.Hooks.StandIn;

/// <summary>A request as the stand-in saw it; <paramref name="Instance"/> is the proxy's pinning header (<see cref="Modules.CaddyProxy.InstanceHeader"/>), if sent.</summary>
public sealed record RecordedRequest(string Method, string Path, bool Authenticated, JsonNode? Body, string? Instance);

public sealed record PullAttempt(string Model, long StartOffset);

/// <summary>
/// An Ollama stand-in on 127.0.0.1 that behaves as ollama's own source does at v0.12.6; each behaviour names the
/// file and function it follows. The endpoints the hooks use, streaming NDJSON where Ollama streams, a model
/// registry to pull from, a scheduler with GPU memory, switchable faults, and optionally a credential check in front
/// (playing the proxy). Every request and every body it answers is checked against ollama-openapi.yaml; a mismatch is
/// answered with 400 and recorded, and <see cref="DisposeAsync"/> throws, so a test fails when the stand-in and the
/// real API disagree.
/// </summary>
public sealed partial class OllamaStandIn : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, RegistryModel> registry = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, InstalledModel> installed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> partialBlobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> creates = new(StringComparer.Ordinal);
    private long modifications;

    private OllamaStandIn(WebApplication app)
    {
        this.app = app;
        app.Run(HandleAsync);
    }

    public Uri Url { get; private set; } = null!;

    public StandInFaults Faults { get; } = new();

    public string Version { get; set; } = "0.12.6";

    /// <summary>When set, requests without exactly this header are refused with 401, as the proxy would.</summary>
    public (string Header, string Value)? RequiredCredential { get; set; }

    public ConcurrentQueue<string> Violations { get; } = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public ConcurrentQueue<PullAttempt> PullAttempts { get; } = new();

    /// <summary>The names /api/tags lists, in Ollama's shortest form.</summary>
    public IReadOnlyCollection<string> InstalledModels => installed.Keys.Order(StringComparer.Ordinal).ToList();

    internal OpenApiContract Contract { get; } = OpenApiContract.Committed;

    public static async Task<OllamaStandIn> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var standIn = new OllamaStandIn(builder.Build());
        await standIn.app.StartAsync().ConfigureAwait(false);
        var address = standIn.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return standIn;
    }

    /// <summary>A model the registry offers for pulling, with its size and (optionally) default system prompt and parameters.</summary>
    public void Publish(string name, long size, string kind = "chat", string? system = null, IReadOnlyDictionary<string, JsonNode>? parameters = null)
    {
        var shortest = OllamaNames.Shortest(name);
        var big = Math.Max(size - 4096, 1);
        var layers = new[] { new Layer(Digest(shortest + "/model"), big), new Layer(Digest(shortest + "/params"), Math.Max(size - big, 1)) };
        registry[shortest] = new RegistryModel(shortest, kind, layers, system, parameters ?? new Dictionary<string, JsonNode>());
    }

    /// <summary>A model already present on the instance under <paramref name="name"/> as written (published to the registry too, if it was not).</summary>
    public void Install(string name, string kind = "chat")
    {
        var shortest = OllamaNames.Shortest(name);
        if (!registry.ContainsKey(shortest))
        {
            Publish(shortest, 1 << 20, kind);
        }

        var model = registry[shortest];
        Store(new InstalledModel(shortest, model.Kind, null, model.System, new Dictionary<string, JsonNode>(model.Parameters), model.Layers.Sum(l => l.Size)));
    }

    public int CreateCount(string name) => creates.GetValueOrDefault(OllamaNames.Shortest(name));

    public IEnumerable<RecordedRequest> RequestsTo(string path) => Requests.Where(r => r.Path == path);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        if (!Violations.IsEmpty)
        {
            throw new InvalidOperationException("the Ollama stand-in saw traffic that breaks ollama-openapi.yaml:\n" + string.Join("\n", Violations));
        }
    }

    private static string Digest(string seed) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));

    private void Store(InstalledModel model) => installed[model.Name] = model with { Modified = Interlocked.Increment(ref modifications) };

    /// <summary>
    /// server/routes.go getExistingName: each part of the requested name (host, namespace, model, tag) takes the
    /// spelling an installed model uses for it when they match ignoring case; the result is then looked up as is.
    /// </summary>
    private string ExistingName(string requested)
    {
        var (host, space, model, tag) = OllamaNames.Parse(requested);
        foreach (var (eHost, eSpace, eModel, eTag) in installed.Keys.Select(OllamaNames.Parse))
        {
            host = host.Equals(eHost, StringComparison.OrdinalIgnoreCase) ? eHost : host;
            space = space.Equals(eSpace, StringComparison.OrdinalIgnoreCase) ? eSpace : space;
            model = model.Equals(eModel, StringComparison.OrdinalIgnoreCase) ? eModel : model;
            tag = tag.Equals(eTag, StringComparison.OrdinalIgnoreCase) ? eTag : tag;
        }

        return OllamaNames.Shortest($"{host}/{space}/{model}:{tag}");
    }

    private async Task HandleAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        JsonNode? body = null;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            if (text.Length > 0)
            {
                try
                {
                    body = JsonNode.Parse(text);
                }
                catch (JsonException e)
                {
                    Violations.Enqueue($"{method} {path}: the request body is not JSON ({e.Message})");
                    await PlainAsync(context, 400, "invalid JSON").ConfigureAwait(false);
                    return;
                }
            }
        }

        var presented = RequiredCredential is { } required ? context.Request.Headers[required.Header].ToString() : "";
        var authenticated = RequiredCredential is null || presented == RequiredCredential.Value.Value;
        var instance = context.Request.Headers[Modules.CaddyProxy.InstanceHeader] is { Count: > 0 } pinned ? pinned.ToString() : null;
        Requests.Enqueue(new RecordedRequest(method, path, authenticated && RequiredCredential is not null, body, instance));
        if (!authenticated)
        {
            // The proxy's answer, not Ollama's: plain text, outside the Ollama contract.
            await PlainAsync(context, 401, Faults.EchoCredential ? $"Unauthorized: rejected '{presented}'" : "Unauthorized").ConfigureAwait(false);
            return;
        }

        if (Contract.Describes(method, path) && Contract.CheckRequest(method, path, body) is { Count: > 0 } problems)
        {
            foreach (var problem in problems)
            {
                Violations.Enqueue(problem);
            }

            await JsonAsync(context, 400, new JsonObject { ["error"] = "contract: " + string.Join("; ", problems) }).ConfigureAwait(false);
            return;
        }

        if (StandInFaults.Take(Faults.CutConnection, path))
        {
            // Ollama restarting: the connection closes with no answer.
            context.Abort();
            return;
        }

        if (Faults.TakeServerError(path))
        {
            var echo = Faults.EchoCredential && RequiredCredential is { } credential ? $" (request carried {credential.Header}: {context.Request.Headers[credential.Header]})" : "";
            await JsonAsync(context, 500, new JsonObject { ["error"] = "llama runner process has terminated: exit status 2" + echo }).ConfigureAwait(false);
            return;
        }

        var named = body?["model"]?.GetValue<string>();
        if (named is not null && path is not "/api/version" && !OllamaNames.IsValid(named))
        {
            // routes.go: every handler parses the name first (model.ParseName) and refuses an invalid one.
            await JsonAsync(context, 400, new JsonObject { ["error"] = "invalid model name" }).ConfigureAwait(false);
            return;
        }

        var model = named is null ? null : ExistingName(named);
        await ((method, path) switch
        {
            ("GET", "/api/version") => JsonAsync(context, 200, new JsonObject { ["version"] = Version }),
            ("GET", "/api/tags") => JsonAsync(context, 200, Tags()),
            ("POST", "/api/pull") => PullAsync(context, model!),
            ("POST", "/api/create") => CreateAsync(context, model!, body!),
            ("DELETE", "/api/delete") => DeleteAsync(context, model!, named!),
            ("POST", "/api/show") => installed.TryGetValue(model!, out var shown) ? JsonAsync(context, 200, Show(shown)) : NotFoundAsync(context, named!),
            ("POST", "/api/generate") => GenerateAsync(context, model!, named!, body!),
            ("POST", "/api/embed") => EmbedAsync(context, model!, named!, body!),
            ("GET", "/api/ps") => JsonAsync(context, 200, Ps()),
            ("GET", "/v1/models") => OpenAiModelsAsync(context),
            _ => PlainAsync(context, 404, "404 page not found"),
        }).ConfigureAwait(false);
    }

    /// <summary>routes.go ListHandler: every manifest under its DisplayShortest name, most recently modified first.</summary>
    private JsonObject Tags() => new()
    {
        ["models"] = new JsonArray([.. installed.Values.OrderByDescending(m => m.Modified).Select(Summary)]),
    };

    /// <summary>routes.go DeleteHandler: 404 with "model '&lt;name as sent&gt;' not found" when there is no such model.</summary>
    private Task DeleteAsync(HttpContext context, string model, string named)
    {
        if (!installed.TryRemove(model, out _))
        {
            return NotFoundAsync(context, named);
        }

        Unload(model);
        return JsonAsync(context, 200, null);
    }

    private async Task OpenAiModelsAsync(HttpContext context)
    {
        // Not in ollama-openapi.yaml; openai/openai.go ListMiddleware: the OpenAI list shape of /api/tags.
        var data = new JsonArray([.. installed.Values.Where(m => !Faults.HiddenFromOpenAi.ContainsKey(m.Name)).OrderByDescending(m => m.Modified).Select(m => (JsonNode)new JsonObject
        {
            ["id"] = m.Name,
            ["object"] = "model",
            ["created"] = 1_760_000_000,
            ["owned_by"] = "library",
        })]);
        await JsonAsync(context, 200, new JsonObject { ["object"] = "list", ["data"] = data }).ConfigureAwait(false);
    }

    /// <summary>The 404 body Ollama's handlers send: routes.go "model '%s' not found" with the name as the request gave it.</summary>
    private Task NotFoundAsync(HttpContext context, string name) => JsonAsync(context, 404, new JsonObject { ["error"] = $"model '{name}' not found" });

    /// <summary>
    /// routes.go streamResponse: an error before any line goes out as a JSON answer with its status; after the 200
    /// and some lines, only as a last <c>{"error"}</c> line.
    /// </summary>
    private async Task StreamErrorAsync(HttpContext context, NdjsonWriter stream, int status, string error)
    {
        if (!stream.Started)
        {
            await JsonAsync(context, status, new JsonObject { ["error"] = error }).ConfigureAwait(false);
            return;
        }

        await stream.LineAsync(new JsonObject { ["error"] = error }).ConfigureAwait(false);
        await stream.EndAsync().ConfigureAwait(false);
    }

    private async Task JsonAsync(HttpContext context, int status, JsonNode? body)
    {
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        if (Contract.Describes(method, path))
        {
            foreach (var problem in Contract.CheckResponse(method, path, status, "application/json", body))
            {
                Violations.Enqueue("stand-in answer: " + problem);
            }
        }

        context.Response.StatusCode = status;
        if (body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task PlainAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }

    private sealed record Layer(string Digest, long Size);

    private sealed record RegistryModel(string Name, string Kind, IReadOnlyList<Layer> Layers, string? System, IReadOnlyDictionary<string, JsonNode> Parameters);

    private sealed record InstalledModel(string Name, string Kind, string? From, string? System, Dictionary<string, JsonNode> Parameters, long Size)
    {
        public long Modified { get; init; }
    }
}
