using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HomeLab.Modules.Hooks;

/// <summary>Progress of one pull, summed over the layers Ollama has reported so far.</summary>
internal readonly record struct PullProgress(string Status, long Completed, long Total);

/// <summary>
/// A small typed client for the Ollama HTTP API (ollama-openapi.yaml), reached directly or through the proxy with
/// one credential. Every failure is an <see cref="OllamaException"/> saying what was being done and why it failed.
/// </summary>
internal sealed class OllamaClient(HttpClient http, Uri baseUrl, HookCredential? credential, TimeSpan requestTimeout, string? pinnedInstance = null)
{
    public Uri BaseUrl { get; } = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    public HookCredential? Credential { get; } = credential;

    /// <summary>
    /// An HttpClient for the hooks; <paramref name="caCertificate"/> pins a private CA such as Caddy's internal one.
    /// <paramref name="connect"/> replaces name resolution and dialing only (the URL's host still names the server in
    /// the Host header and TLS), e.g. to reach a proxy on a loopback port under its real domain.
    /// </summary>
    public static HttpClient CreateHttp(X509Certificate2? caCertificate = null, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            ConnectCallback = connect,
        };
        if (caCertificate is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.Add(caCertificate);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<VersionResponse> VersionAsync(TimeSpan timeout, CancellationToken cancel)
    {
        using var response = await SendAsync(HttpMethod.Get, "api/version", null, "asking for Ollama's version", timeout, streamed: false, authenticate: true, cancel).ConfigureAwait(false);
        return await ReadAsync(response, OllamaJson.Default.VersionResponse, "asking for Ollama's version", cancel).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ModelSummary>> TagsAsync(CancellationToken cancel)
    {
        using var response = await SendAsync(HttpMethod.Get, "api/tags", null, "listing models", requestTimeout, streamed: false, authenticate: true, cancel).ConfigureAwait(false);
        return (await ReadAsync(response, OllamaJson.Default.ListResponse, "listing models", cancel).ConfigureAwait(false)).Models ?? [];
    }

    /// <summary>Pulls <paramref name="model"/>; returns the bytes of the layers the pull went through.</summary>
    public async Task<long> PullAsync(string model, TimeSpan stall, Action<PullProgress>? progress, CancellationToken cancel)
    {
        var what = $"pull of '{model}'";
        var layers = new Dictionary<string, (long Completed, long Total)>(StringComparer.Ordinal);
        await foreach (var status in StreamAsync("api/pull", Content(new PullRequest(model, true), OllamaJson.Default.PullRequest), what, stall, cancel).ConfigureAwait(false))
        {
            if (status.Digest is { } digest && status.Total is { } total)
            {
                layers[digest] = (Math.Max(status.Completed ?? 0, layers.GetValueOrDefault(digest).Completed), total);
            }

            progress?.Invoke(new PullProgress(status.Status ?? "", layers.Values.Sum(l => l.Completed), layers.Values.Sum(l => l.Total)));
            if (status.Status == "success")
            {
                return layers.Values.Sum(l => l.Completed);
            }
        }

        throw new OllamaException(FailureKind.Interrupted, $"{what}: the stream ended before Ollama reported success");
    }

    public async Task CreateAsync(CreateRequest request, TimeSpan stall, CancellationToken cancel)
    {
        var what = $"creating '{request.Model}' from '{request.From}'";
        await foreach (var status in StreamAsync("api/create", Content(request, OllamaJson.Default.CreateRequest), what, stall, cancel).ConfigureAwait(false))
        {
            if (status.Status == "success")
            {
                return;
            }
        }

        throw new OllamaException(FailureKind.Interrupted, $"{what}: the stream ended before Ollama reported success");
    }

    public async Task DeleteAsync(string model, CancellationToken cancel)
    {
        using var response = await SendAsync(HttpMethod.Delete, "api/delete", Content(new DeleteRequest(model), OllamaJson.Default.DeleteRequest), $"removing '{model}'", requestTimeout, streamed: false, authenticate: true, cancel).ConfigureAwait(false);
    }

    /// <summary>A model's stored definition, or null when Ollama does not have it.</summary>
    public async Task<ShowResponse?> ShowAsync(string model, CancellationToken cancel)
    {
        var what = $"reading the definition of '{model}'";
        try
        {
            using var response = await SendAsync(HttpMethod.Post, "api/show", Content(new ShowRequest(model), OllamaJson.Default.ShowRequest), what, requestTimeout, streamed: false, authenticate: true, cancel).ConfigureAwait(false);
            return await ReadAsync(response, OllamaJson.Default.ShowResponse, what, cancel).ConfigureAwait(false);
        }
        catch (OllamaException e) when (e.Kind is FailureKind.NotFound)
        {
            return null;
        }
    }

    public async Task<GenerateResponse> GenerateAsync(GenerateRequest request, TimeSpan timeout, CancellationToken cancel)
    {
        var what = request.Prompt is null ? $"loading '{request.Model}'" : $"a one-token generation with '{request.Model}'";
        using var response = await SendAsync(HttpMethod.Post, "api/generate", Content(request, OllamaJson.Default.GenerateRequest), what, timeout, streamed: false, authenticate: true, cancel).ConfigureAwait(false);
        return await ReadAsync(response, OllamaJson.Default.GenerateResponse, what, cancel).ConfigureAwait(false);
    }

    public async Task<EmbedResponse> EmbedAsync(EmbedRequest request, TimeSpan timeout, CancellationToken cancel)
    {
        var what = $"an embedding with '{request.Model}'";
        using var response = await SendAsync(HttpMethod.Post, "api/embed", Content(request, OllamaJson.Default.EmbedRequest), what, timeout, streamed: false, authenticate: true, cancel).ConfigureAwait(false);
        return await ReadAsync(response, OllamaJson.Default.EmbedResponse, what, cancel).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RunningModel>> PsAsync(CancellationToken cancel)
    {
        using var response = await SendAsync(HttpMethod.Get, "api/ps", null, "listing loaded models", requestTimeout, streamed: false, authenticate: true, cancel).ConfigureAwait(false);
        return (await ReadAsync(response, OllamaJson.Default.PsResponse, "listing loaded models", cancel).ConfigureAwait(false)).Models ?? [];
    }

    /// <summary>The OpenAI-compatible model list that clients such as editors and chat UIs read.</summary>
    public async Task<IReadOnlyList<OpenAiModel>> OpenAiModelsAsync(CancellationToken cancel)
    {
        const string What = "listing models on the OpenAI-compatible API";
        using var response = await SendAsync(HttpMethod.Get, "v1/models", null, What, requestTimeout, streamed: false, authenticate: true, cancel).ConfigureAwait(false);
        return (await ReadAsync(response, OllamaJson.Default.OpenAiModelList, What, cancel).ConfigureAwait(false)).Data ?? [];
    }

    /// <summary>The status a request without any credential gets; the proxy should refuse it.</summary>
    public async Task<int> StatusWithoutCredentialAsync(CancellationToken cancel)
    {
        using var request = Request(HttpMethod.Get, "api/tags");
        using var response = await TransportAsync(request, "a request without credentials", requestTimeout, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        return (int)response.StatusCode;
    }

    private async IAsyncEnumerable<StatusEvent> StreamAsync(string path, HttpContent content, string what, TimeSpan stall, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel)
    {
        using var response = await SendAsync(HttpMethod.Post, path, content, what, stall, streamed: true, authenticate: true, cancel).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await foreach (var line in Ndjson.ReadLinesAsync(body, stall, what, cancel).ConfigureAwait(false))
            {
                var status = Parse(line, OllamaJson.Default.StatusEvent, what);
                if (status.Error is { } error)
                {
                    throw Failure(FailureKind.StreamError, $"{what}: Ollama reported '{error}'", null, error);
                }

                yield return status;
            }
        }
    }

    /// <summary>A request to <paramref name="path"/>, naming the pinned instance for the proxy when there is one.</summary>
    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseUrl, path));
        if (pinnedInstance is not null)
        {
            request.Headers.Add(CaddyProxy.InstanceHeader, pinnedInstance);
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, string what, TimeSpan timeout, bool streamed, bool authenticate, CancellationToken cancel)
    {
        using var request = Request(method, path);
        request.Content = content;
        if (authenticate && Credential is not null)
        {
            request.Headers.TryAddWithoutValidation(Credential.Header, Credential.HeaderValue);
        }

        var response = await TransportAsync(request, what, timeout, streamed ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancel).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var detail = await ErrorTextAsync(response, cancel).ConfigureAwait(false);
            var said = detail is null ? "" : $": {detail}";
            throw status switch
            {
                401 or 403 when Credential is null => Failure(FailureKind.Unauthorized, $"{what}: the proxy requires credentials (HTTP {status}) and the hooks have none", status, detail),
                401 or 403 => Failure(FailureKind.Unauthorized, $"{what}: the proxy refused {Credential!.Describe()} (HTTP {status}); it does not match the one the proxy was deployed with", status, detail),
                404 => Failure(FailureKind.NotFound, $"{what}: not found (HTTP 404{said})", status, detail),
                429 or >= 500 => Failure(FailureKind.Server, $"{what}: the server answered HTTP {status}{said}", status, detail),
                _ => Failure(FailureKind.Rejected, $"{what}: refused with HTTP {status}{said}", status, detail),
            };
        }
    }

    private async Task<HttpResponseMessage> TransportAsync(HttpRequestMessage request, string what, TimeSpan timeout, HttpCompletionOption completion, CancellationToken cancel)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timer.CancelAfter(timeout);
        try
        {
            return await http.SendAsync(request, completion, timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw Failure(FailureKind.Timeout, $"{what}: no answer from {BaseUrl} within {Durations.Text(timeout)}");
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException { Message: var rejected } && rejected.Contains("remote certificate", StringComparison.OrdinalIgnoreCase))
        {
            // The handshake completed and .NET judged the certificate: unlike a proxy still issuing its first
            // certificate (a failed handshake, retried), waiting will not make it trusted.
            throw Failure(FailureKind.Untrusted, $"{what}: the certificate of {BaseUrl} is not trusted ({rejected}); with 'tls: internal' give the hooks the proxy's root certificate: export HOMELAB_CA_CERT=/path/to/root.crt or --ca-cert (README: The proxy)");
        }
        catch (HttpRequestException e)
        {
            var cause = e.InnerException is { } inner && inner.Message.Length > 0 ? inner.Message : e.Message;
            var hint = e.HttpRequestError is HttpRequestError.SecureConnectionError ? " (if the proxy uses its internal CA, pass its root certificate with --ca-cert)" : "";
            throw Failure(FailureKind.Unreachable, $"{what}: cannot reach {BaseUrl}: {cause}{hint}");
        }
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string what, CancellationToken cancel)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancel).ConfigureAwait(false)
                ?? throw Failure(FailureKind.BadResponse, $"{what}: the answer was empty");
        }
        catch (JsonException e)
        {
            throw Failure(FailureKind.BadResponse, $"{what}: the answer is not the JSON Ollama sends ({e.Message})");
        }
    }

    private T Parse<T>(ReadOnlyMemory<byte> line, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(line.Span, type) ?? throw Failure(FailureKind.BadResponse, $"{what}: an empty line in the stream");
        }
        catch (JsonException e)
        {
            throw Failure(FailureKind.BadResponse, $"{what}: a stream line is not JSON ({e.Message})");
        }
    }

    /// <summary>Ollama's <c>{"error": "..."}</c>, or the start of whatever else came back (a proxy's page).</summary>
    private static async Task<string?> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancel)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            if (JsonSerializer.Deserialize(text, OllamaJson.Default.ErrorBody)?.Error is { Length: > 0 } error)
            {
                return error;
            }
        }
        catch (JsonException)
        {
            // Not Ollama's error shape; report the text itself.
        }

        var line = new StringBuilder();
        foreach (var c in text.Trim().Take(200))
        {
            line.Append(char.IsControl(c) ? ' ' : c);
        }

        return line.ToString();
    }

    private static JsonContent Content<T>(T value, JsonTypeInfo<T> type) => JsonContent.Create(value, type);

    private OllamaException Failure(FailureKind kind, string message, int? status = null, string? detail = null) =>
        Credential is null
            ? new OllamaException(kind, message, status, detail)
            : new OllamaException(kind, Credential.Redact(message), status, detail is null ? null : Credential.Redact(detail));
}
