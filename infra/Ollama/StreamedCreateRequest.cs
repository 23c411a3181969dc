using OllamaSharp.Models;

namespace HomeLab.Ollama;

/// <summary>A create whose progress stream is read with a per-read timeout (the read-only property is not serialised).</summary>
internal sealed class StreamedCreateRequest(TimeSpan readTimeout) : CreateModelRequest, IStreamedRequest
{
    public TimeSpan ReadTimeout { get; } = readTimeout;
}
