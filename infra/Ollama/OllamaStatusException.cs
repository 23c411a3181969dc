namespace HomeLab.Ollama;

/// <summary>A refused request: its HTTP status and what the server said (Ollama's <c>{"error"}</c> text, or the start of a page).</summary>
internal sealed class OllamaStatusException(int status, string? detail) : HttpRequestException($"HTTP {status}{(detail is null ? "" : ": " + detail)}")
{
    public int Status { get; } = status;

    public string? Detail { get; } = detail;
}
