using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HomeLab.Hooks;

/// <summary>The machine-readable outcome of a hooks run: one entry per instance. Exported by Pulumi as a stack output.</summary>
internal sealed record HooksReport(string Stack, bool Ok, IReadOnlyList<InstanceReport> Instances)
{
    /// <summary>Plain JSON: "Ollama's", not "Ollama\u0027s" (the default encoder escapes what HTML would misread).</summary>
    private static readonly HookJson Plain = new(new JsonSerializerOptions(HookJson.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public string ToJson() => JsonSerializer.Serialize(this, Plain.HooksReport);
}

internal sealed record InstanceReport(
    string Instance,
    string Url,
    string Via,
    bool Ok,
    string? OllamaVersion,
    IReadOnlyList<StepReport> Steps,
    IReadOnlyList<ModelReport> Models,
    IReadOnlyList<string> Removed,
    IReadOnlyList<CheckReport> Checks,
    IReadOnlyList<string> Failures)
{
    /// <summary>The replica (StatefulSet ordinal) this entry is about, when the instance runs several; absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Replica { get; init; }
}

/// <summary>A step's result: ok, failed or skipped (with why).</summary>
internal sealed record StepReport(string Step, string Result, double DurationMs, string? Detail);

/// <summary>
/// One declared model (or a base pulled for a custom model). State: present, pulled, created, recreated, unchanged,
/// missing, failed, or unchecked (the run stopped before listing models). Load time and token rates come from
/// Ollama's own timing fields; the VRAM share from /api/ps (size_vram / size) on an instance with a GPU.
/// </summary>
internal sealed record ModelReport(
    string Name,
    string Kind,
    string State,
    bool Declared,
    bool Custom,
    bool Warm,
    long BytesPulled,
    int PullAttempts,
    double? PullMs,
    double? CreateMs,
    string? Definition,
    string? RecreatedBecause,
    double? WarmMs,
    double? LoadMs,
    double? TokensPerSecond,
    double? PromptTokensPerSecond,
    int? EmbeddingLength,
    double? VramShare,
    string? Error);

/// <summary>One check. <see cref="Result"/> is passed, failed, or unproven: Ollama gives no evidence either way (Ok is false then, but the run does not fail).</summary>
internal sealed record CheckReport(string Check, string? Model, bool Ok, string Detail)
{
    public const string Unproven = "unproven";

    public string Result { get; init; } = Ok ? "passed" : "failed";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(HooksReport))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
internal sealed partial class HookJson : JsonSerializerContext;
