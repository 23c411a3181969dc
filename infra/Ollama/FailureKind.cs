namespace HomeLab.Ollama;

/// <summary>What kind of failure a call to Ollama (or the proxy in front of it) ended in; it decides whether a retry can help.</summary>
internal enum FailureKind
{
    /// <summary>No connection: refused, reset, DNS, TLS.</summary>
    Unreachable,

    /// <summary>No answer in time.</summary>
    Timeout,

    /// <summary>A 5xx or 429 answer.</summary>
    Server,

    /// <summary>The server refused the credential (401/403).</summary>
    Unauthorized,

    /// <summary>TLS worked but the server certificate is not trusted (no or wrong root given): retrying cannot help.</summary>
    Untrusted,

    /// <summary>
    /// 403 from Ollama itself for a cloud model while its cloud is off: OLLAMA_NO_CLOUD or the server config
    /// (v0.32.15 internal/cloud/policy.go DisabledError, "ollama cloud is disabled: …"; server/routes.go GenerateHandler,
    /// cloud_proxy.go proxyCloudRequestWithPath). Not a credential problem: retrying or a token cannot help.
    /// </summary>
    CloudDisabled,

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
