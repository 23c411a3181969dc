using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using Microsoft.AspNetCore.Http;

namespace HomeLab.Tests.Hooks.StandIn;

/// <summary>/api/generate, /api/embed and /api/ps over a model scheduler as server/sched.go runs it.</summary>
public sealed partial class OllamaStandIn
{
    private readonly Dictionary<string, Runner> loaded = new(StringComparer.Ordinal);
    private readonly Lock scheduler = new();

    /// <summary>OLLAMA_MAX_LOADED_MODELS; sched.go defaults to 3 per GPU (and 3 without one).</summary>
    public int MaxLoadedModels { get; set; } = 3;

    /// <summary>GPU memory for loaded models, or null for an instance without a usable GPU (every model on CPU).</summary>
    public long? GpuMemory { get; set; }

    /// <summary>The names /api/ps lists.</summary>
    public IReadOnlyCollection<string> LoadedModels
    {
        get
        {
            lock (scheduler)
            {
                return loaded.Keys.Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>
    /// routes.go GenerateHandler: 404 "model '%s' not found" for an unknown model; an embedding-only model has no
    /// completion capability, so scheduleRunner fails with 400 "%q does not support generate"; with no prompt the
    /// model is only loaded and the answer says done_reason "load".
    /// </summary>
    private async Task GenerateAsync(HttpContext context, string name, string named, JsonNode body)
    {
        if (!installed.TryGetValue(name, out var model))
        {
            await NotFoundAsync(context, named).ConfigureAwait(false);
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

        var createdAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
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
    /// routes.go scheduleRunner → sched.go: the model's stored options, then the request's, go through
    /// api/types.go Options.FromMap, whose type errors fail the request with 500; keep_alive is api.Duration (a
    /// number of seconds or a Go duration string, negative meaning for ever); beyond OLLAMA_MAX_LOADED_MODELS an idle
    /// runner is unloaded, the one with the shortest keep-alive first, then by name (findRunnerToUnload,
    /// ByDurationAndName). The runner gets as much of the model in GPU memory as is free (size_vram). Returns whether
    /// it was a cold start, or null when it answered with an error.
    /// </summary>
    private async Task<bool?> LoadAsync(HttpContext context, InstalledModel model, JsonNode body)
    {
        if ((OptionProblem(model.Parameters) ?? OptionProblem(body["options"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!) ?? [])) is { } problem)
        {
            await JsonAsync(context, 500, new JsonObject { ["error"] = problem }).ConfigureAwait(false);
            return null;
        }

        if (KeepAlive(body["keep_alive"]) is not { } keepAlive)
        {
            await JsonAsync(context, 400, new JsonObject { ["error"] = $"time: invalid duration {body["keep_alive"]!.ToJsonString()}" }).ConfigureAwait(false);
            return null;
        }

        lock (scheduler)
        {
            var cold = !loaded.ContainsKey(model.Name);
            if (cold)
            {
                while (loaded.Count >= MaxLoadedModels)
                {
                    loaded.Remove(loaded.Values.OrderBy(r => r.KeepAlive).ThenBy(r => r.Name, StringComparer.Ordinal).First().Name);
                }
            }

            var free = GpuMemory is { } memory ? memory - loaded.Values.Where(r => r.Name != model.Name).Sum(r => r.Vram) : 0;
            loaded[model.Name] = new Runner(model.Name, model.Size, Math.Clamp(free, 0, model.Size), keepAlive, keepAlive < TimeSpan.Zero ? DateTimeOffset.MaxValue : DateTimeOffset.UtcNow + keepAlive);
            if (keepAlive == TimeSpan.Zero)
            {
                loaded.Remove(model.Name);
            }

            return cold;
        }
    }

    /// <summary>routes.go PsHandler: each runner with size, size_vram and expires_at, longest remaining first.</summary>
    private JsonObject Ps()
    {
        lock (scheduler)
        {
            return new JsonObject
            {
                ["models"] = new JsonArray([.. loaded.Values.Where(r => installed.ContainsKey(r.Name)).OrderByDescending(r => r.Expires).Select(r => (JsonNode)new JsonObject
                {
                    ["name"] = r.Name,
                    ["model"] = r.Name,
                    ["size"] = r.Size,
                    ["digest"] = Digest(r.Name)[7..],
                    ["details"] = Details(installed[r.Name]),
                    ["expires_at"] = (r.Expires == DateTimeOffset.MaxValue ? DateTimeOffset.UtcNow.AddYears(100) : r.Expires).ToString("O", CultureInfo.InvariantCulture),
                    ["size_vram"] = r.Vram,
                    ["context_length"] = 4096,
                })]),
            };
        }
    }

    private void Unload(string name)
    {
        lock (scheduler)
        {
            loaded.Remove(name);
        }
    }

    /// <summary>api/types.go Options.FromMap: int fields take any JSON number, float32 fields a number, use_mmap a boolean, stop an array of strings.</summary>
    private static string? OptionProblem(IReadOnlyDictionary<string, JsonNode> options)
    {
        foreach (var (key, value) in options)
        {
            var kind = value.GetValueKind();
            var problem = key switch
            {
                "num_keep" or "seed" or "num_predict" or "top_k" or "repeat_last_n" or "num_ctx" or "num_batch" or "num_gpu" or "main_gpu" or "num_thread"
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

    /// <summary>api/types.go Duration.UnmarshalJSON: a number is seconds, a string a Go duration; negative means for ever. Default 5m.</summary>
    private static TimeSpan? KeepAlive(JsonNode? value)
    {
        if (value is null)
        {
            return TimeSpan.FromMinutes(5);
        }

        if (value.GetValueKind() is JsonValueKind.Number)
        {
            var seconds = value.GetValue<double>();
            return seconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);
        }

        var text = value.GetValue<string>();
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
        return text.StartsWith('-') ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks((long)(total / 100));
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();

    private async Task StreamOneAsync(HttpContext context, JsonNode line)
    {
        var stream = new NdjsonWriter(this, context, "POST", "/api/generate");
        await stream.LineAsync(line).ConfigureAwait(false);
        await stream.EndAsync().ConfigureAwait(false);
    }

    private sealed record Runner(string Name, long Size, long Vram, TimeSpan KeepAlive, DateTimeOffset Expires);
}
