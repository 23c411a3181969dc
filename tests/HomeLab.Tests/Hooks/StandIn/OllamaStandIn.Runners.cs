using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using Microsoft.AspNetCore.Http;

namespace HomeLab.Tests.Hooks.StandIn;

/// <summary>/api/generate, /api/embed and /api/ps over a model scheduler as server/sched.go runs it at v0.32.15.</summary>
public sealed partial class OllamaStandIn
{
    /// <summary>api/types.go Runner: the options a runner is started with; needsReload compares only these.</summary>
    private static readonly string[] RunnerOptions = ["num_ctx", "num_batch", "num_gpu", "main_gpu", "use_mmap", "num_thread"];

    /// <summary>Runners by model file (sched.go loaded map, keyed by schedulerModelKey: the model's ModelPath).</summary>
    private readonly Dictionary<string, Runner> loaded = new(StringComparer.Ordinal);
    private readonly Lock scheduler = new();

    /// <summary>OLLAMA_MAX_LOADED_MODELS; sched.go processPending defaults to 3 per GPU (defaultModelsPerGPU), 3 without one.</summary>
    public int MaxLoadedModels { get; set; } = 3;

    /// <summary>GPU memory for loaded models, or null for an instance without a usable GPU (every model on CPU).</summary>
    public long? GpuMemory { get; set; }

    /// <summary>
    /// llama-server's memory report cannot be read: /api/ps gives the model file's size as both size and size_vram
    /// (llm/llama_server.go llamaServerRunner.MemorySize, the fallback), wherever the model runs.
    /// </summary>
    public bool MemoryReportFallback { get; set; }

    /// <summary>The names /api/ps lists.</summary>
    public IReadOnlyCollection<string> LoadedModels
    {
        get
        {
            lock (scheduler)
            {
                return loaded.Values.Select(r => r.Name).Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>
    /// routes.go GenerateHandler: 404 "model '%s' not found" for an unknown model; with no prompt and keep_alive 0 the
    /// model's runner is expired (sched.go expireRunner) and the answer says done_reason "unload", before any
    /// capability check; a cloud stub is refused with 403 while cloud is off and otherwise answered by ollama.com
    /// (no runner here); an embedding-only model has no completion capability, so scheduleRunner fails with 400
    /// "%q does not support generate"; with no prompt the model is only loaded and the answer says done_reason "load".
    /// </summary>
    private async Task GenerateAsync(HttpContext context, string name, string named, JsonNode body)
    {
        if (!installed.TryGetValue(name, out var model))
        {
            await NotFoundAsync(context, named).ConfigureAwait(false);
            return;
        }

        var createdAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        if (body["prompt"]?.GetValue<string>() is not { Length: > 0 } && body["keep_alive"] is { } unload && KeepAlive(unload) == TimeSpan.Zero)
        {
            lock (scheduler)
            {
                loaded.Remove(model.File.Digest);
            }

            await JsonAsync(context, 200, new JsonObject { ["model"] = named, ["created_at"] = createdAt, ["response"] = "", ["done"] = true, ["done_reason"] = "unload" }).ConfigureAwait(false);
            return;
        }

        if (model.Remote && NoCloud)
        {
            await JsonAsync(context, 403, new JsonObject { ["error"] = "ollama cloud is disabled: remote model is unavailable" }).ConfigureAwait(false);
            return;
        }

        if (model.Kind == "embedding")
        {
            await JsonAsync(context, 400, new JsonObject { ["error"] = $"{JsonSerializer.Serialize(named)} does not support generate" }).ConfigureAwait(false);
            return;
        }

        if (await LoadAsync(context, model, body) is not { } coldStart)
        {
            return;
        }

        var streamed = body["stream"]?.GetValue<bool>() ?? true;
        if (body["prompt"]?.GetValue<string>() is not { Length: > 0 })
        {
            var loadOnly = new JsonObject { ["model"] = named, ["created_at"] = createdAt, ["response"] = "", ["done"] = true, ["done_reason"] = "load" };
            await (streamed ? StreamOneAsync(context, loadOnly) : JsonAsync(context, 200, loadOnly)).ConfigureAwait(false);
            return;
        }

        long load = coldStart ? 1_250_000_000 : 150_000;
        var final = new JsonObject
        {
            ["model"] = named,
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
        await stream.LineAsync(new JsonObject { ["model"] = named, ["created_at"] = createdAt, ["response"] = "ok", ["done"] = false }).ConfigureAwait(false);
        await stream.LineAsync(final).ConfigureAwait(false);
        await stream.EndAsync().ConfigureAwait(false);
    }

    /// <summary>routes.go EmbedHandler: 404 for an unknown model; one vector per input.</summary>
    private async Task EmbedAsync(HttpContext context, string name, string named, JsonNode body)
    {
        if (!installed.TryGetValue(name, out var model))
        {
            await NotFoundAsync(context, named).ConfigureAwait(false);
            return;
        }

        if (model.Remote && NoCloud)
        {
            await JsonAsync(context, 403, new JsonObject { ["error"] = "ollama cloud is disabled: remote model is unavailable" }).ConfigureAwait(false);
            return;
        }

        if (await LoadAsync(context, model, body) is not { } coldStart)
        {
            return;
        }

        var inputs = body["input"] is JsonArray many ? many.Count : 1;
        JsonNode Vector() => Faults.EmptyEmbeddings.ContainsKey(name) ? new JsonArray() : new JsonArray(0.0101, -0.0017, 0.0500, 0.0469, 0.0549, 0.0086, 0.1054, -0.0259);
        await JsonAsync(context, 200, new JsonObject
        {
            ["model"] = named,
            ["embeddings"] = new JsonArray([.. Enumerable.Range(0, inputs).Select(_ => Vector())]),
            ["total_duration"] = 14_143_917,
            ["load_duration"] = coldStart ? 900_000_000 : 1_019_500,
            ["prompt_eval_count"] = 8,
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// routes.go scheduleRunner → sched.go, at v0.32.15. The model's stored options, then the request's, go through
    /// api/types.go Options.FromMap, whose type errors fail the request with 500; keep_alive is api.Duration (a number
    /// of seconds or a Go duration string; negative is stored as the maximum duration). Runners are keyed by model
    /// file (schedulerModelKey), so a custom model that changes only the system prompt or sampling parameters answers
    /// on its base's runner, which keeps the name of the model that loaded it; a runner is reloaded only when its
    /// runner options differ (needsReload; never for MLX). A new runner needs a slot (OLLAMA_MAX_LOADED_MODELS) and,
    /// beside others on a GPU, must be predicted to fit fully in 80% of the free GPU memory (load, requireFull, unless
    /// num_gpu asks for a partial offload: explicitPartialGPUOffload); otherwise an idle runner is unloaded, the
    /// shortest keep-alive first, then by model path (findRunnerToUnload, ByDurationAndName), and the load retried.
    /// The first model loads with whatever fits on the GPU. Returns whether it was a cold start, or null when it
    /// answered with an error.
    /// </summary>
    private async Task<bool?> LoadAsync(HttpContext context, InstalledModel model, JsonNode body)
    {
        var requested = body["options"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!) ?? [];
        if ((OptionProblem(model.Parameters) ?? OptionProblem(requested)) is { } problem)
        {
            await JsonAsync(context, 500, new JsonObject { ["error"] = problem }).ConfigureAwait(false);
            return null;
        }

        if (KeepAlive(body["keep_alive"]) is not { } keepAlive)
        {
            await JsonAsync(context, 400, new JsonObject { ["error"] = $"time: invalid duration {body["keep_alive"]!.ToJsonString()}" }).ConfigureAwait(false);
            return null;
        }

        var options = RunnerOptions.Where(o => requested.ContainsKey(o) || model.Parameters.ContainsKey(o))
            .ToDictionary(o => o, o => (requested.GetValueOrDefault(o) ?? model.Parameters[o]).ToJsonString(), StringComparer.Ordinal);
        var expires = keepAlive == TimeSpan.MaxValue ? DateTimeOffset.MaxValue : DateTimeOffset.UtcNow + keepAlive;
        lock (scheduler)
        {
            var key = model.File.Digest;
            if (loaded.TryGetValue(key, out var running) && (model.Format is "safetensors" || SameOptions(running.Options, options)))
            {
                // sched.go useLoadedRunner: the request's keep_alive becomes the runner's session duration.
                loaded[key] = running with { KeepAlive = keepAlive, Expires = expires };
                Expire(key, keepAlive);
                return false;
            }

            loaded.Remove(key);
            var partialAsked = options.TryGetValue("num_gpu", out var numGpu) && long.TryParse(numGpu, out var layers) && layers > 0;
            var memory = model.Format is "safetensors" ? model.File.Size : model.File.Size + KvCache(model.File.Size);
            while (true)
            {
                var free = GpuMemory is { } total ? total - loaded.Values.Sum(r => r.Vram) : 0;
                var mustEvict = loaded.Count >= MaxLoadedModels
                    || (loaded.Count > 0 && GpuMemory is not null && model.Format is not "safetensors" && !partialAsked && memory > free * 8 / 10);
                if (!mustEvict)
                {
                    var vram = GpuMemory is null ? 0 : Math.Clamp(free, 0, memory);
                    loaded[key] = new Runner(key, model.Name, Details(model), Digest(model.Name)[7..], model.File.Size, memory, vram, model.Format, keepAlive, expires, options);
                    Expire(key, keepAlive);
                    return true;
                }

                loaded.Remove(loaded.Values.OrderBy(r => (ulong)r.KeepAlive.Ticks).ThenBy(r => r.Key, StringComparer.Ordinal).First().Key);
            }
        }
    }

    /// <summary>sched.go processCompleted: a runner whose session duration is 0 is unloaded as soon as its request is done.</summary>
    private void Expire(string key, TimeSpan keepAlive)
    {
        if (keepAlive == TimeSpan.Zero)
        {
            loaded.Remove(key);
        }
    }

    private static bool SameOptions(IReadOnlyDictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    /// <summary>What llama-server allocates beyond the weights (KV cache, compute graph), so a real report exceeds the file.</summary>
    private static long KvCache(long file) => file / 8 + 65_536;

    /// <summary>
    /// routes.go PsHandler: each runner under the name of the model that loaded it (Model.ShortName), longest
    /// remaining first. size and size_vram are llama-server's report (llama_server.go MemorySize: with every layer
    /// on the GPU both are the GPU total); when the report cannot be read, both are the model file's size; an MLX
    /// runner reports all its memory as both (x/mlxrunner/client.go Client.MemorySize).
    /// </summary>
    private JsonObject Ps()
    {
        lock (scheduler)
        {
            return new JsonObject
            {
                ["models"] = new JsonArray([.. loaded.Values.OrderByDescending(r => r.Expires).Select(r =>
                {
                    var (size, vram) = r.Format is "safetensors" ? (r.Memory, r.Memory)
                        : MemoryReportFallback ? (r.File, r.File)
                        : r.Vram >= r.Memory ? (r.Vram, r.Vram)
                        : (r.Memory, r.Vram);
                    return (JsonNode)new JsonObject
                    {
                        ["name"] = r.Name,
                        ["model"] = r.Name,
                        ["size"] = size,
                        ["digest"] = r.Digest,
                        ["details"] = r.Details.DeepClone(),
                        ["expires_at"] = (r.Expires == DateTimeOffset.MaxValue ? DateTimeOffset.UtcNow.AddYears(100) : r.Expires).ToString("O", CultureInfo.InvariantCulture),
                        ["size_vram"] = vram,
                        ["context_length"] = 4096,
                    };
                })]),
            };
        }
    }

    /// <summary>
    /// api/types.go Options.FromMap (v0.32.15): int fields (draft_num_predict among them) take any JSON number, *int
    /// main_gpu a number too, float32 fields a number, *bool use_mmap a boolean, stop an array of strings.
    /// </summary>
    private static string? OptionProblem(IReadOnlyDictionary<string, JsonNode> options)
    {
        foreach (var (key, value) in options)
        {
            var kind = value.GetValueKind();
            var problem = key switch
            {
                "num_keep" or "seed" or "num_predict" or "top_k" or "repeat_last_n" or "num_ctx" or "num_batch" or "num_gpu" or "main_gpu" or "num_thread" or "draft_num_predict"
                    when kind is not JsonValueKind.Number => "integer",
                "top_p" or "min_p" or "typical_p" or "temperature" or "repeat_penalty" or "presence_penalty" or "frequency_penalty"
                    when kind is not JsonValueKind.Number => "float32",
                "use_mmap" when kind is not (JsonValueKind.True or JsonValueKind.False) => "boolean",
                "stop" when kind is not JsonValueKind.Array => "array",
                "stop" when value.AsArray().Any(v => v?.GetValueKind() is not JsonValueKind.String) => "an array of strings",
                _ => null,
            };
            if (problem is not null)
            {
                return problem.StartsWith("an ", StringComparison.Ordinal) ? $"option \"{key}\" must be of {problem}" : $"option \"{key}\" must be of type {problem}";
            }
        }

        return null;
    }

    /// <summary>api/types.go Duration.UnmarshalJSON: a number is seconds, a string a Go duration; a negative one is stored as the maximum duration. Default 5m.</summary>
    private static TimeSpan? KeepAlive(JsonNode? value)
    {
        if (value is null)
        {
            return TimeSpan.FromMinutes(5);
        }

        if (value.GetValueKind() is JsonValueKind.Number)
        {
            var seconds = value.GetValue<double>();
            return seconds < 0 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
        }

        var text = value.GetValue<string>();
        if (text.TrimStart('+', '-') == "0")
        {
            // Go time.ParseDuration: a bare "0" (signed or not) is zero, the one number it takes without a unit.
            return TimeSpan.Zero;
        }

        var parts = GoDuration().Matches(text);
        if (text.Length == 0 || parts.Sum(p => p.Length) + (text.StartsWith('-') ? 1 : 0) != text.Length)
        {
            return null;
        }

        var total = parts.Sum(p => double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture) * p.Groups[2].Value switch
        {
            "h" => 3600e9,
            "m" => 60e9,
            "s" => 1e9,
            "ms" => 1e6,
            "us" or "µs" => 1e3,
            _ => 1,
        });
        return text.StartsWith('-') ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)(total / 100));
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();

    private async Task StreamOneAsync(HttpContext context, JsonNode line)
    {
        var stream = new NdjsonWriter(this, context, "POST", "/api/generate");
        await stream.LineAsync(line).ConfigureAwait(false);
        await stream.EndAsync().ConfigureAwait(false);
    }

    /// <summary>A loaded runner: its key (model file), the model that loaded it, the file's size, the memory it takes and how much of it is on the GPU.</summary>
    private sealed record Runner(string Key, string Name, JsonObject Details, string Digest, long File, long Memory, long Vram, string Format, TimeSpan KeepAlive, DateTimeOffset Expires, IReadOnlyDictionary<string, string> Options);
}
