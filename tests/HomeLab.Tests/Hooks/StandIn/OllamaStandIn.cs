using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using HomeLab.Tests.Support;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HomeLab.Tests.Hooks.StandIn;

/// <summary>A request as the stand-in saw it; <paramref name="Instance"/> is the proxy's pinning header (<see cref="HomeLab.Conventions.HookRouting.InstanceHeader"/>), if sent.</summary>
public sealed record RecordedRequest(string Method, string Path, bool Authenticated, JsonNode? Body, string? Instance);

public sealed record PullAttempt(string Model, long StartOffset);

/// <summary>
/// An Ollama stand-in on 127.0.0.1 that behaves as ollama's own source does at v0.32.15 (the version the stacks
/// deploy, infra/Conventions/Pins.cs); each behaviour names the file and function it follows at that tag. Its contract,
/// ollama-openapi.yaml, is docs/openapi.yaml of the same release line: the reference file is the one v0.33.0-rc2
/// carries, and it is byte for byte the docs/openapi.yaml at v0.32.15 (git blob 34aa9f40, checked by ContractTests).
/// The endpoints the hooks use, streaming NDJSON where Ollama streams, a model
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

    public string Version { get; set; } = "0.32.15";

    /// <summary>
    /// Ollama's cloud is off (OLLAMA_NO_CLOUD, or the server config: envconfig/config.go NoCloud): a request for a
    /// cloud model gets 403 "ollama cloud is disabled: …" (internal/cloud/policy.go DisabledError).
    /// </summary>
    public bool NoCloud { get; set; }

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
        var standIn = new OllamaStandIn(LoopbackServer.Create(port));
        standIn.Url = await LoopbackServer.StartAsync(standIn.app).ConfigureAwait(false);
        return standIn;
    }

    /// <summary>
    /// A model the registry offers for pulling, with its size and (optionally) default system prompt and parameters.
    /// <paramref name="format"/> "safetensors" makes it an MLX model (images.go Model.IsMLX); a cloud name
    /// ('x:cloud', 'x:tag-cloud') is a stub whose config points at ollama.com (remote_host), and runs nothing here.
    /// </summary>
    public void Publish(string name, long size, string kind = "chat", string? system = null, IReadOnlyDictionary<string, JsonNode>? parameters = null, string format = "gguf", string? requires = null)
    {
        var shortest = OllamaNames.Shortest(name);
        var big = Math.Max(size - 4096, 1);
        var layers = new[] { new Layer(Digest(shortest + "/model"), big), new Layer(Digest(shortest + "/params"), Math.Max(size - big, 1)) };
        registry[shortest] = new RegistryModel(shortest, kind, layers, system, parameters ?? new Dictionary<string, JsonNode>())
        {
            Format = format,
            Remote = OllamaNames.IsCloudStub(shortest),
            Requires = requires,
        };
    }

    /// <summary>A model already present on the instance under <paramref name="name"/> as written (published to the registry too, if it was not).</summary>
    public void Install(string name, string kind = "chat")
    {
        var shortest = OllamaNames.Shortest(name);
        if (!registry.ContainsKey(shortest))
        {
            Publish(shortest, 1 << 20, kind);
        }

        Store(Installed(registry[shortest], shortest));
    }

    public int CreateCount(string name) => creates.GetValueOrDefault(OllamaNames.Shortest(name));

    public IEnumerable<RecordedRequest> RequestsTo(string path) => Requests.Where(r => r.Path == path);

    public async ValueTask DisposeAsync()
    {
        await LoopbackServer.StopAsync(app).ConfigureAwait(false);
        if (!Violations.IsEmpty)
        {
            throw new InvalidOperationException("the Ollama stand-in saw traffic that breaks ollama-openapi.yaml:\n" + string.Join("\n", Violations));
        }
    }

    private static string Digest(string seed) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));

    /// <summary>A registry model as a pull stores it under <paramref name="name"/>: its model layer is the file its runner loads.</summary>
    private static InstalledModel Installed(RegistryModel model, string name) =>
        new(name, model.Kind, null, model.System, new Dictionary<string, JsonNode>(model.Parameters), model.Layers.Sum(l => l.Size))
        {
            File = model.Layers[0],
            Format = model.Format,
            Remote = model.Remote,
            Requires = model.Requires,
        };

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
        var instance = context.Request.Headers[HomeLab.Conventions.HookRouting.InstanceHeader] is { Count: > 0 } pinned ? pinned.ToString() : null;
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
        if (named is not null && NameRefusal(path, named) is { } refusal)
        {
            await JsonAsync(context, refusal.Status, new JsonObject { ["error"] = refusal.Error }).ConfigureAwait(false);
            return;
        }

        var (refBase, source, _) = named is null ? ("", null, false) : OllamaNames.Ref(named);
        if (source is "cloud" && NoCloud && path is "/api/generate" or "/api/embed" or "/api/show")
        {
            // routes.go GenerateHandler, EmbedHandler, ShowHandler: a ':cloud' name goes to ollama.com
            // (cloud_proxy.go proxyCloudRequestWithPath), which refuses at once while cloud is off.
            var operation = path is "/api/show" ? "remote model details are unavailable" : "remote model is unavailable";
            await JsonAsync(context, 403, new JsonObject { ["error"] = $"ollama cloud is disabled: {operation}" }).ConfigureAwait(false);
            return;
        }

        // Pull and delete normalise a cloud name to its stub's legacy name (parseNormalizePullModelRef); create takes
        // its name as written (create.go CreateHandler: model.ParseName, so 'mine:local' is stored under the tag
        // 'local'); the others drop the source suffix (parseAndValidateModelRef). With cloud on, ollama.com would
        // answer a ':cloud' generate; the stand-in answers from the stub.
        var model = named is null ? null : ExistingName(path is "/api/pull" or "/api/delete" || source is "cloud" ? OllamaNames.PullName(named) : path is "/api/create" ? named : refBase);
        await ((method, path) switch
        {
            ("GET", "/api/version") => JsonAsync(context, 200, new JsonObject { ["version"] = Version }),
            ("GET", "/api/tags") => JsonAsync(context, 200, Tags()),
            ("POST", "/api/pull") => PullAsync(context, model!),
            ("POST", "/api/create") => CreateAsync(context, model!, body!),
            ("DELETE", "/api/delete") => DeleteAsync(context, model!, named!),
            // routes.go ShowHandler: the request's model becomes name.DisplayShortest() before the lookup, and its 404 says that name.
            ("POST", "/api/show") => installed.TryGetValue(model!, out var shown) ? JsonAsync(context, 200, Show(shown)) : NotFoundAsync(context, model!),
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

    /// <summary>
    /// routes.go DeleteHandler: 404 with "model '&lt;name as sent&gt;' not found" when there is no such model; it removes
    /// the manifest and unused layers only, and never unloads a runner, so a loaded model stays in /api/ps.
    /// </summary>
    private Task DeleteAsync(HttpContext context, string model, string named) =>
        installed.TryRemove(model, out _) ? JsonAsync(context, 200, null) : NotFoundAsync(context, named);

    /// <summary>
    /// How each endpoint refuses a name it cannot parse, or null (v0.32.15): create checks model.ParseName alone
    /// (create.go CreateHandler); the others parse the source suffix first (model_resolver.go) and answer through
    /// writeModelRefParseError — a conflicting suffix 400 with its text, an invalid name 400 "invalid model name" —
    /// except delete, which says 'name "x" is invalid' (DeleteHandler), and an empty name, which each endpoint
    /// answers with its own fallback.
    /// </summary>
    private static (int Status, string Error)? NameRefusal(string path, string raw)
    {
        if (path is "/api/version" or "/api/tags" or "/api/ps")
        {
            return null;
        }

        if (path is "/api/create")
        {
            return OllamaNames.IsValid(raw) ? null : (400, "invalid model name");
        }

        var (name, _, conflict) = OllamaNames.Ref(raw);
        if (conflict)
        {
            return (400, $"use either :local or :cloud, not both: {JsonSerializer.Serialize(raw)}");
        }

        if (name.Length == 0)
        {
            return path switch
            {
                "/api/generate" or "/api/embed" => (404, $"model '{raw}' not found"),
                "/api/pull" => (400, "invalid model name"),
                _ => (400, "model is required"),
            };
        }

        return OllamaNames.IsValid(path is "/api/pull" or "/api/delete" ? OllamaNames.PullName(raw) : name) ? null
            : path is "/api/delete" ? (400, $"name {JsonSerializer.Serialize(raw)} is invalid")
            : (400, "invalid model name");
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

    private sealed record RegistryModel(string Name, string Kind, IReadOnlyList<Layer> Layers, string? System, IReadOnlyDictionary<string, JsonNode> Parameters)
    {
        public string Format { get; init; } = "gguf";

        public bool Remote { get; init; }

        public string? Requires { get; init; }
    }

    private sealed record InstalledModel(string Name, string Kind, string? From, string? System, Dictionary<string, JsonNode> Parameters, long Size)
    {
        public long Modified { get; init; }

        /// <summary>The model layer: the file a runner loads, and so the scheduler's key (sched.go schedulerModelKey: ModelPath).</summary>
        public required Layer File { get; init; }

        public string Format { get; init; } = "gguf";

        /// <summary>A cloud stub (config remote_host): ollama.com runs it.</summary>
        public bool Remote { get; init; }

        public string? Requires { get; init; }
    }
}
