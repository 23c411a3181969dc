namespace HomeLab.Ollama;

/// <summary>
/// A failed call to Ollama (or to the proxy in front of it), classified so that retries are spent only where they
/// can help. Messages are plain sentences for an operator and never contain a credential.
/// </summary>
internal sealed class OllamaException(FailureKind kind, string message, int? status = null, string? detail = null, string? what = null) : Exception(message)
{
    /// <summary>What was being done, e.g. "listing models", when the client knows it.</summary>
    public string? What { get; } = what;

    public FailureKind Kind { get; } = kind;

    public int? Status { get; } = status;

    /// <summary>Ollama's own error text, when it sent one.</summary>
    public string? Detail { get; } = detail;

    /// <summary>Whether trying again may succeed: network trouble, server errors, stalls, and registry hiccups.</summary>
    public bool Transient => Kind switch
    {
        FailureKind.Unreachable or FailureKind.Timeout or FailureKind.Server or FailureKind.Stalled or FailureKind.Interrupted => true,
        FailureKind.StreamError => !IsPermanentText(Detail),
        _ => false,
    };

    /// <summary>Ollama reports a model the registry does not have as 'file does not exist' or 'not found'.</summary>
    private static bool IsPermanentText(string? text) =>
        text is not null && (text.Contains("does not exist", StringComparison.OrdinalIgnoreCase)
            || text.Contains("not found", StringComparison.OrdinalIgnoreCase)
            || text.Contains("invalid model name", StringComparison.OrdinalIgnoreCase));
}
