using OllamaSharp.Models;

namespace HomeLab.Ollama;

/// <summary>A pull whose progress stream is read with a per-read timeout (the read-only property is not serialised).</summary>
internal sealed class StreamedPullRequest(TimeSpan readTimeout) : PullModelRequest, IStreamedRequest
{
    public TimeSpan ReadTimeout { get; } = readTimeout;
}
