using System.Text.Json;
using System.Text.Json.Serialization;

namespace HomeLab.Modules.Hooks;

// The subset of the Ollama HTTP API the hooks use, named as in ollama-openapi.yaml (snake_case on the wire).
internal sealed record VersionResponse(string? Version);

internal sealed record ModelSummary(string? Name, string? Model, long? Size, string? Digest);

internal sealed record ListResponse(IReadOnlyList<ModelSummary>? Models);

internal sealed record PullRequest(string Model, bool Stream);

/// <summary>One line of a streamed pull or create: progress, or an error even after a 200 status.</summary>
internal sealed record StatusEvent(string? Status, string? Digest, long? Total, long? Completed, string? Error);

internal sealed record CreateRequest(string Model, string From, string? System, IReadOnlyDictionary<string, JsonElement>? Parameters, bool Stream);

internal sealed record DeleteRequest(string Model);

internal sealed record GenerateOptions(int NumPredict);

internal sealed record GenerateRequest(string Model, string? Prompt, bool Stream, JsonElement? KeepAlive, GenerateOptions? Options);

/// <summary>Ollama's own timings, in nanoseconds.</summary>
internal sealed record GenerateResponse(
    string? Model,
    string? Response,
    bool? Done,
    string? DoneReason,
    long? TotalDuration,
    long? LoadDuration,
    long? PromptEvalCount,
    long? PromptEvalDuration,
    long? EvalCount,
    long? EvalDuration);

internal sealed record EmbedRequest(string Model, string Input, JsonElement? KeepAlive);

internal sealed record EmbedResponse(string? Model, IReadOnlyList<IReadOnlyList<double>>? Embeddings, long? TotalDuration, long? LoadDuration, long? PromptEvalCount);

internal sealed record ShowRequest(string Model);

internal sealed record ShowDetails(string? ParentModel, string? Family);

/// <summary>
/// <c>system</c> is not in the OpenAPI document's ShowResponse but Ollama returns it (api.ShowResponse); the hooks
/// compare it with the declared system prompt.
/// </summary>
internal sealed record ShowResponse(string? Parameters, string? System, string? Template, ShowDetails? Details, IReadOnlyList<string>? Capabilities);

internal sealed record RunningModel(string? Name, string? Model, long? Size, long? SizeVram, string? ExpiresAt);

internal sealed record PsResponse(IReadOnlyList<RunningModel>? Models);

internal sealed record OpenAiModel(string? Id, string? Object, string? OwnedBy);

internal sealed record OpenAiModelList(string? Object, IReadOnlyList<OpenAiModel>? Data);

internal sealed record ErrorBody(string? Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(ListResponse))]
[JsonSerializable(typeof(PullRequest))]
[JsonSerializable(typeof(StatusEvent))]
[JsonSerializable(typeof(CreateRequest))]
[JsonSerializable(typeof(DeleteRequest))]
[JsonSerializable(typeof(GenerateRequest))]
[JsonSerializable(typeof(GenerateResponse))]
[JsonSerializable(typeof(EmbedRequest))]
[JsonSerializable(typeof(EmbedResponse))]
[JsonSerializable(typeof(ShowRequest))]
[JsonSerializable(typeof(ShowResponse))]
[JsonSerializable(typeof(PsResponse))]
[JsonSerializable(typeof(OpenAiModelList))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class OllamaJson : JsonSerializerContext;
