namespace HomeLab.Ollama;

/// <summary>A request whose answer streams: each read of it may wait at most <see cref="ReadTimeout"/>.</summary>
internal interface IStreamedRequest
{
    TimeSpan ReadTimeout { get; }
}
