namespace HomeLab.Ollama;

/// <summary>A streamed answer sent no data for <see cref="Silence"/>.</summary>
internal sealed class StreamStalledException(TimeSpan silence) : IOException($"no data for {OllamaText.Duration(silence)}")
{
    public TimeSpan Silence { get; } = silence;
}
