using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using HomeLab.Tests.Support;

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
/// An Ollama stand-in on 127.0.0.1: the endpoints the hooks use, streaming NDJSON where Ollama streams, a model
/// registry to pull from, switchable faults, and optionally a credential check in front (playing the proxy). Every
/// request and every body it answers is checked against ollama-openapi.yaml; a mismatch is answered with 400 and
/// recorded, and <see cref="DisposeAsync"/> throws, so a test fails when the stand-in and the real API disagree.
/// </summary>
public sealed class OllamaStandIn : IAsyncDisposable
{
    private static readonly Lazy<OpenApiContract> SharedContract = new(() => OpenApiContract.Load(Repo.ReferenceFile("ollama-openapi.yaml")));

    private readonly WebApplication app;
    private readonly OpenApiContract contract = SharedContract.Value;
    private readonly ConcurrentDictionary<string, RegistryModel> registry = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, InstalledModel> installed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> partialBlobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> loaded = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> creates = new(StringComparer.Ordinal);
    private int activePulls;
    private int maxActivePulls;

    private OllamaStandIn(WebApplication app)
    {
        this.app = app;
        app.Run(HandleAsync);
    }

    public Uri Url { get; private set; } = null!;

    public StandInFaults Faults { get; } = new();

    public string Version { get; set; } = "0.12.6";

    /// <summary>
    /// The share of a loaded model Ollama placed in VRAM, reported as /api/ps size_vram (server/routes.go, PsHandler:
    /// SizeVRAM is the VRAM part of the runner's MemorySize; 0 on a CPU-only machine). 1 plays a GPU the model fits on, 0 no GPU.
    /// </summary>
    public double VramShare { get; set; } = 1;

    /// <summary>When set, requests without exactly this header are refused with 401, as the proxy would.</summary>
    public (string Header, string Value)? RequiredCredential { get; set; }

    public ConcurrentQueue<string> Violations { get; } = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public ConcurrentQueue<PullAttempt> PullAttempts { get; } = new();

    public int MaxConcurrentPulls => Volatile.Read(ref maxActivePulls);

    public IReadOnlyCollection<string> InstalledModels => installed.Keys.Order(StringComparer.Ordinal).ToList();

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
        var canonical = Canonical(name);
        var big = Math.Max(size - 4096, 1);
        var layers = new[] { new Layer(Digest(canonical + "/model"), big), new Layer(Digest(canonical + "/params"), Math.Max(size - big, 1)) };
        registry[canonical] = new RegistryModel(canonical, kind, layers, system, parameters ?? new Dictionary<string, JsonNode>());
    }

    /// <summary>A model already present on the instance (published to the registry too, if it was not).</summary>
    public void Install(string name, string kind = "chat")
    {
        var canonical = Canonical(name);
        if (!registry.ContainsKey(canonical))
        {
            Publish(canonical, 1 << 20, kind);
        }

        var model = registry[canonical];
        installed[canonical] = new InstalledModel(canonical, model.Kind, null, model.System, new Dictionary<string, JsonNode>(model.Parameters), model.Layers.Sum(l => l.Size));
    }

    public int CreateCount(string name) => creates.GetValueOrDefault(Canonical(name));

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

    internal static string Canonical(string name) => Spec.Names.CanonicalModel(name);

    private static string Digest(string seed) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));

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

        if (contract.Describes(method, path) && contract.CheckRequest(method, path, body) is { Count: > 0 } problems)
        {
            foreach (var problem in problems)
            {
                Violations.Enqueue(problem);
            }

            await JsonAsync(context, 400, new JsonObject { ["error"] = "contract: " + string.Join("; ", problems) }).ConfigureAwait(false);
            return;
        }

        if (Faults.TakeServerError(path))
        {
            var echo = Faults.EchoCredential && RequiredCredential is { } credential ? $" (request carried {credential.Header}: {context.Request.Headers[credential.Header]})" : "";
            await JsonAsync(context, 500, new JsonObject { ["error"] = "llama runner process has terminated: exit status 2" + echo }).ConfigureAwait(false);
            return;
        }

        var model = body?["model"]?.GetValue<string>() is { } named ? Canonical(named) : null;
        await ((method, path) switch
        {
            ("GET", "/api/version") => JsonAsync(context, 200, new JsonObject { ["version"] = Version }),
            ("GET", "/api/tags") => JsonAsync(context, 200, new JsonObject { ["models"] = new JsonArray([.. installed.Values.OrderBy(m => m.Name, StringComparer.Ordinal).Select(Summary)]) }),
            ("POST", "/api/pull") => PullAsync(context, model!),
            ("POST", "/api/create") => CreateAsync(context, model!, body!),
            ("DELETE", "/api/delete") => installed.TryRemove(model!, out _) ? JsonAsync(context, 200, null) : NotFoundAsync(context, model!),
            ("POST", "/api/show") => installed.TryGetValue(model!, out var shown) ? JsonAsync(context, 200, Show(shown)) : NotFoundAsync(context, model!),
            ("POST", "/api/generate") => GenerateAsync(context, model!, body!),
            ("POST", "/api/embed") => EmbedAsync(context, model!, body!),
            ("GET", "/api/ps") => JsonAsync(context, 200, new JsonObject { ["models"] = new JsonArray([.. loaded.Where(l => installed.ContainsKey(l.Key)).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => Running(installed[l.Key], l.Value, VramShare))]) }),
            ("GET", "/v1/models") => OpenAiModelsAsync(context),
            _ => PlainAsync(context, 404, "404 page not found"),
        }).ConfigureAwait(false);
    }

    private async Task PullAsync(HttpContext context, string name)
    {
        if (!registry.TryGetValue(name, out var model))
        {
            await JsonAsync(context, 404, new JsonObject { ["error"] = "pull model manifest: file does not exist" }).ConfigureAwait(false);
            return;
        }

        var active = Interlocked.Increment(ref activePulls);
        InterlockedMax(ref maxActivePulls, active);
        try
        {
            PullAttempts.Enqueue(new PullAttempt(name, model.Layers.Sum(l => partialBlobs.GetValueOrDefault(l.Digest))));
            var fault = StandInFaults.Take(Faults.ErrorMidStream, name) ? "error" : StandInFaults.Take(Faults.StallMidStream, name) ? "stall" : StandInFaults.Take(Faults.DropMidStream, name) ? "drop" : null;
            var stream = new NdjsonWriter(this, context, "POST", "/api/pull");
            await stream.LineAsync(new JsonObject { ["status"] = "pulling manifest" }).ConfigureAwait(false);
            var size = model.Layers.Sum(l => l.Size);
            var sent = model.Layers.Sum(l => partialBlobs.GetValueOrDefault(l.Digest));
            foreach (var layer in model.Layers)
            {
                var completed = partialBlobs.GetValueOrDefault(layer.Digest);
                await stream.LineAsync(Progress(layer, completed)).ConfigureAwait(false);
                while (completed < layer.Size)
                {
                    var step = Math.Min(Faults.ChunkBytes, layer.Size - completed);
                    completed += step;
                    sent += step;
                    partialBlobs[layer.Digest] = completed;
                    if (fault is not null && sent >= size / 2)
                    {
                        await FaultAsync(context, stream, fault).ConfigureAwait(false);
                        return;
                    }

                    await stream.LineAsync(Progress(layer, completed)).ConfigureAwait(false);
                    if (Faults.ChunkDelay > TimeSpan.Zero)
                    {
                        await Task.Delay(Faults.ChunkDelay, context.RequestAborted).ConfigureAwait(false);
                    }
                }
            }

            if (fault is not null)
            {
                // Everything was already downloaded by earlier attempts; the fault still strikes before the end.
                await FaultAsync(context, stream, fault).ConfigureAwait(false);
                return;
            }

            await stream.LineAsync(new JsonObject { ["status"] = "verifying sha256 digest" }).ConfigureAwait(false);
            await stream.LineAsync(new JsonObject { ["status"] = "writing manifest" }).ConfigureAwait(false);
            installed[name] = new InstalledModel(name, model.Kind, null, model.System, new Dictionary<string, JsonNode>(model.Parameters), size);
            await stream.LineAsync(new JsonObject { ["status"] = "success" }).ConfigureAwait(false);
            await stream.EndAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client gave up on this stream (a stall it detected, or the end of a test).
        }
        finally
        {
            Interlocked.Decrement(ref activePulls);
        }
    }

    private async Task FaultAsync(HttpContext context, NdjsonWriter stream, string fault)
    {
        switch (fault)
        {
            case "error":
                await stream.LineAsync(new JsonObject { ["error"] = Faults.StreamErrorText }).ConfigureAwait(false);
                await stream.EndAsync().ConfigureAwait(false);
                break;
            case "stall":
                await stream.EndAsync().ConfigureAwait(false);
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted).ConfigureAwait(false);
                break;
            default:
                await stream.EndAsync().ConfigureAwait(false);
                context.Abort();
                break;
        }
    }

    private async Task CreateAsync(HttpContext context, string name, JsonNode body)
    {
        var from = body["from"]?.GetValue<string>();
        if (from is null)
        {
            await JsonAsync(context, 400, new JsonObject { ["error"] = "neither 'from' or 'files' was specified" }).ConfigureAwait(false);
            return;
        }

        if (!installed.TryGetValue(Canonical(from), out var parent))
        {
            await NotFoundAsync(context, from).ConfigureAwait(false);
            return;
        }

        // As Ollama does: the new parameters are merged over the base's, and the base's system prompt stays unless replaced.
        var parameters = new Dictionary<string, JsonNode>(parent.Parameters.ToDictionary(p => p.Key, p => p.Value.DeepClone()), StringComparer.Ordinal);
        foreach (var (key, value) in body["parameters"]?.AsObject() ?? [])
        {
            parameters[key] = value!.DeepClone();
        }

        var stream = new NdjsonWriter(this, context, "POST", "/api/create");
        await stream.LineAsync(new JsonObject { ["status"] = $"using existing layer {Digest(parent.Name + "/model")}" }).ConfigureAwait(false);
        await stream.LineAsync(new JsonObject { ["status"] = "writing manifest" }).ConfigureAwait(false);
        installed[name] = new InstalledModel(name, parent.Kind, Canonical(from), body["system"]?.GetValue<string>() ?? parent.System, parameters, parent.Size);
        creates.AddOrUpdate(name, 1, (_, n) => n + 1);
        await stream.LineAsync(new JsonObject { ["status"] = "success" }).ConfigureAwait(false);
        await stream.EndAsync().ConfigureAwait(false);
    }

    private async Task GenerateAsync(HttpContext context, string name, JsonNode body)
    {
        if (!installed.TryGetValue(name, out var model))
        {
            await NotFoundAsync(context, name).ConfigureAwait(false);
            return;
        }

        if (model.Kind == "embedding")
        {
            await JsonAsync(context, 400, new JsonObject { ["error"] = $"\"{name}\" does not support generate" }).ConfigureAwait(false);
            return;
        }

        var coldStart = Load(name);
        var createdAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var streamed = body["stream"]?.GetValue<bool>() ?? true;
        if (body["prompt"]?.GetValue<string>() is not { Length: > 0 })
        {
            var loadOnly = new JsonObject { ["model"] = name, ["created_at"] = createdAt, ["response"] = "", ["done"] = true, ["done_reason"] = "load" };
            await (streamed ? StreamOneAsync(context, "/api/generate", loadOnly) : JsonAsync(context, 200, loadOnly)).ConfigureAwait(false);
            return;
        }

        long load = coldStart ? 1_250_000_000 : 150_000;
        var final = new JsonObject
        {
            ["model"] = name,
            ["created_at"] = createdAt,
            ["response"] = streamed ? "" : "ok",
            ["done"] = true,
            ["done_reason"] = "length",
            ["total_duration"] = load + 26_000_000,
            ["load_duration"] = load,
            ["prompt_eval_count"] = 12,
            ["prompt_eval_duration"] = 6_000_000,
            ["eval_count"] = 1,
            ["eval_duration"] = 20_000_000,
        };
        if (!streamed)
        {
            await JsonAsync(context, 200, final).ConfigureAwait(false);
            return;
        }

        var stream = new NdjsonWriter(this, context, "POST", "/api/generate");
        await stream.LineAsync(new JsonObject { ["model"] = name, ["created_at"] = createdAt, ["response"] = "ok", ["done"] = false }).ConfigureAwait(false);
        await stream.LineAsync(final).ConfigureAwait(false);
        await stream.EndAsync().ConfigureAwait(false);
    }

    private async Task EmbedAsync(HttpContext context, string name, JsonNode body)
    {
        if (!installed.ContainsKey(name))
        {
            await NotFoundAsync(context, name).ConfigureAwait(false);
            return;
        }

        var coldStart = Load(name);
        var inputs = body["input"] is JsonArray many ? many.Count : 1;
        JsonNode Vector() => Faults.EmptyEmbeddings.ContainsKey(name) ? new JsonArray() : new JsonArray(0.0101, -0.0017, 0.0500, 0.0469, 0.0549, 0.0086, 0.1054, -0.0259);
        await JsonAsync(context, 200, new JsonObject
        {
            ["model"] = name,
            ["embeddings"] = new JsonArray([.. Enumerable.Range(0, inputs).Select(_ => Vector())]),
            ["total_duration"] = 14_143_917,
            ["load_duration"] = coldStart ? 900_000_000 : 1_019_500,
            ["prompt_eval_count"] = 8,
        }).ConfigureAwait(false);
    }

    private async Task OpenAiModelsAsync(HttpContext context)
    {
        // Not in ollama-openapi.yaml; this is the OpenAI list shape Ollama's /v1/models returns.
        var data = new JsonArray([.. installed.Values.Where(m => !Faults.HiddenFromOpenAi.ContainsKey(m.Name)).OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => (JsonNode)new JsonObject
        {
            ["id"] = m.Name,
            ["object"] = "model",
            ["created"] = 1_760_000_000,
            ["owned_by"] = "library",
        })]);
        await JsonAsync(context, 200, new JsonObject { ["object"] = "list", ["data"] = data }).ConfigureAwait(false);
    }

    /// <summary>Marks a model loaded; true when it was not loaded before (a cold start).</summary>
    private bool Load(string name)
    {
        var cold = !loaded.ContainsKey(name);
        loaded[name] = DateTimeOffset.UtcNow.AddMinutes(5);
        return cold;
    }

    private Task NotFoundAsync(HttpContext context, string name) => JsonAsync(context, 404, new JsonObject { ["error"] = $"model '{name}' not found" });

    private async Task StreamOneAsync(HttpContext context, string path, JsonNode line)
    {
        var stream = new NdjsonWriter(this, context, "POST", path);
        await stream.LineAsync(line).ConfigureAwait(false);
        await stream.EndAsync().ConfigureAwait(false);
    }

    private async Task JsonAsync(HttpContext context, int status, JsonNode? body)
    {
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        if (contract.Describes(method, path))
        {
            foreach (var problem in contract.CheckResponse(method, path, status, "application/json", body))
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

    private static JsonObject Progress(Layer layer, long completed) => new()
    {
        ["status"] = $"pulling {layer.Digest[7..19]}",
        ["digest"] = layer.Digest,
        ["total"] = layer.Size,
        ["completed"] = completed,
    };

    private static JsonObject Details(InstalledModel model) => new JsonObject
    {
        ["parent_model"] = model.From ?? "",
        ["format"] = "gguf",
        ["family"] = model.Kind == "embedding" ? "nomic-bert" : "llama",
        ["families"] = new JsonArray(model.Kind == "embedding" ? "nomic-bert" : "llama"),
        ["parameter_size"] = "1.2B",
        ["quantization_level"] = "Q4_K_M",
    };

    private static JsonNode Summary(InstalledModel model) => new JsonObject
    {
        ["name"] = model.Name,
        ["model"] = model.Name,
        ["modified_at"] = "2025-10-03T23:34:03.409490317-07:00",
        ["size"] = model.Size,
        ["digest"] = Digest(model.Name)[7..],
        ["details"] = Details(model),
    };

    private static JsonObject Running(InstalledModel model, DateTimeOffset expires, double vramShare) => new JsonObject
    {
        ["name"] = model.Name,
        ["model"] = model.Name,
        ["size"] = model.Size,
        ["digest"] = Digest(model.Name)[7..],
        ["details"] = Details(model),
        ["expires_at"] = expires.ToString("O", CultureInfo.InvariantCulture),
        ["size_vram"] = (long)Math.Round(model.Size * vramShare),
        ["context_length"] = 4096,
    };

    /// <summary>What /api/show returns, with parameters formatted as Ollama does: Go's "%-30s %#v", one value per line.</summary>
    private static JsonObject Show(InstalledModel model)
    {
        var lines = new List<string>();
        foreach (var (key, value) in model.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var item in value is JsonArray array ? array.Select(a => a!) : [value])
            {
                lines.Add($"{key,-30} {GoValue(item)}");
            }
        }

        var show = new JsonObject
        {
            ["parameters"] = string.Join("\n", lines),
            ["license"] = "MIT",
            ["modified_at"] = "2025-08-14T15:49:43.634137516-07:00",
            ["template"] = "{{ .Prompt }}",
            ["details"] = Details(model),
            ["capabilities"] = new JsonArray(model.Kind == "embedding" ? "embedding" : "completion"),
            ["model_info"] = new JsonObject { ["general.architecture"] = "llama" },
        };
        if (model.System is { } system)
        {
            show["system"] = system;
        }

        return show;
    }

    private static string GoValue(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Number => value.GetValue<double>().ToString("R", CultureInfo.InvariantCulture),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private sealed record Layer(string Digest, long Size);

    private sealed record RegistryModel(string Name, string Kind, IReadOnlyList<Layer> Layers, string? System, IReadOnlyDictionary<string, JsonNode> Parameters);

    private sealed record InstalledModel(string Name, string Kind, string? From, string? System, Dictionary<string, JsonNode> Parameters, long Size);

    /// <summary>
    /// Writes NDJSON as Ollama does, but awkwardly on purpose: some lines in three pieces with a flush and a pause
    /// between them, some joined with the next line in one write, so the client must reassemble lines itself.
    /// </summary>
    private sealed class NdjsonWriter(OllamaStandIn standIn, HttpContext context, string method, string path)
    {
        private int lines;

        public async Task LineAsync(JsonNode line)
        {
            foreach (var problem in standIn.contract.CheckResponse(method, path, 200, "application/x-ndjson", line))
            {
                standIn.Violations.Enqueue("stand-in stream: " + problem);
            }

            var response = context.Response;
            if (lines == 0)
            {
                response.StatusCode = 200;
                response.ContentType = "application/x-ndjson";
            }

            var bytes = Encoding.UTF8.GetBytes(line.ToJsonString() + "\n");
            var cancel = context.RequestAborted;
            switch (standIn.Faults.SplitLines ? lines++ % 3 : (lines++ * 0) + 2)
            {
                case 0:
                    var a = bytes.Length / 3;
                    var b = 2 * bytes.Length / 3;
                    await response.Body.WriteAsync(bytes.AsMemory(0, a), cancel).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancel).ConfigureAwait(false);
                    await Task.Delay(1, cancel).ConfigureAwait(false);
                    await response.Body.WriteAsync(bytes.AsMemory(a, b - a), cancel).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancel).ConfigureAwait(false);
                    await Task.Delay(1, cancel).ConfigureAwait(false);
                    await response.Body.WriteAsync(bytes.AsMemory(b), cancel).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancel).ConfigureAwait(false);
                    break;
                case 1:
                    await response.Body.WriteAsync(bytes, cancel).ConfigureAwait(false);
                    break;
                default:
                    await response.Body.WriteAsync(bytes, cancel).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancel).ConfigureAwait(false);
                    break;
            }
        }

        public Task EndAsync() => context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
