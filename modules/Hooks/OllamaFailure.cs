namespace HomeLab.Modules.Hooks;

internal enum FailureKind
{
    /// <summary>No connection: refused, reset, DNS, TLS.</summary>
    Unreachable,

    /// <summary>No answer in time.</summary>
    Timeout,

    /// <summary>A 5xx or 429 answer.</summary>
    Server,

    /// <summary>The proxy refused the credential (401/403).</summary>
    Unauthorized,

    /// <summary>TLS worked but the proxy's certificate is not trusted (no or wrong CA given): retrying cannot help.</summary>
    Untrusted,

    /// <summary>404: a model or path Ollama does not know.</summary>
    NotFound,

    /// <summary>Any other 4xx: Ollama refused the request as it was.</summary>
    Rejected,

    /// <summary>An <c>{"error": ...}</c> line inside a 200 stream.</summary>
    StreamError,

    /// <summary>A stream that sent no bytes for the stall limit.</summary>
    Stalled,

    /// <summary>A stream that ended or broke before it reported success.</summary>
    Interrupted,

    /// <summary>An answer that is not the JSON the API promises.</summary>
    BadResponse,
}

/// <summary>
/// A failed call to Ollama (or to the proxy in front of it), classified so that retries are spent only where they
/// can help. Messages are plain sentences for an operator and never contain a credential.
/// </summary>
internal sealed class OllamaException(FailureKind kind, string message, int? status = null, string? detail = null) : Exception(message)
{
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
