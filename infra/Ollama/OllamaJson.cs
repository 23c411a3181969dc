using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

using OllamaSharp.Models;

namespace HomeLab.Ollama;

/// <summary>
/// The JSON contracts of every OllamaSharp call HomeLab makes, source-generated so neither the managed nor the native
/// build serialises by reflection. OllamaSharp resolves both directions through the context it is given
/// (OllamaApiClient's constructor: Outgoing/IncomingJsonSerializerOptions.TypeInfoResolver), so a call whose types are
/// missing here fails in every build, and the hook tests find it. Streamed calls read each line as
/// <see cref="ErrorResponse"/> first (ProcessStreamedResponseAsync); create parameters are objects whose values are
/// the JSON types of ModelDefinition.Parameters.
/// </summary>
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(ListModelsResponse))]
[JsonSerializable(typeof(ListRunningModelsResponse))]
[JsonSerializable(typeof(PullModelRequest))]
[JsonSerializable(typeof(PullModelResponse))]
[JsonSerializable(typeof(CreateModelRequest))]
[JsonSerializable(typeof(CreateModelResponse))]
[JsonSerializable(typeof(DeleteModelRequest))]
[JsonSerializable(typeof(ShowModelRequest))]
[JsonSerializable(typeof(ShowModelResponse))]
[JsonSerializable(typeof(GenerateRequest))]
[JsonSerializable(typeof(GenerateResponseStream))]
[JsonSerializable(typeof(GenerateDoneResponseStream))]
[JsonSerializable(typeof(EmbedRequest))]
[JsonSerializable(typeof(EmbedResponse))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class OllamaJson : JsonSerializerContext;
