using System.Diagnostics;
using System.Security.Authentication;
using System.Text.Json;

using OllamaSharp.Models;
using OllamaSharp.Models.Exceptions;

namespace HomeLab.Ollama;

/// <summary>
/// The Ollama API as a deployment tool needs it, on OllamaSharp (<see cref="OllamaTransport"/>) plus the raw
/// <see cref="HttpClient"/> for what OllamaSharp does not cover (the OpenAI-compatible model list, a request without
/// credentials). Every failure is an <see cref="OllamaException"/> that says what was being done and why it failed;
/// a streamed pull or create succeeds only when Ollama's last line says <c>success</c>.
/// </summary>
internal sealed class OllamaConnection : IDisposable
{
    private readonly HttpClient http;
    private readonly OllamaTransport api;
    private readonly OllamaEndpoint endpoint;
    private readonly TimeSpan requestTimeout;

    public OllamaConnection(HttpMessageHandler handler, OllamaEndpoint endpoint, TimeSpan requestTimeout)
    {
        this.endpoint = endpoint;
        this.requestTimeout = requestTimeout;
        http = new HttpClient(handler, disposeHandler: false) { BaseAddress = endpoint.Root, Timeout = Timeout.InfiniteTimeSpan };
        api = new OllamaTransport(http, endpoint.Headers.Concat(endpoint.Credentials).ToDictionary(StringComparer.OrdinalIgnoreCase));
    }

    public Uri BaseUrl => endpoint.Root;

    public Task<string> VersionAsync(TimeSpan timeout, CancellationToken cancel) =>
        CallAsync("asking for Ollama's version", timeout, token => api.GetVersionAsync(token), cancel);

    /// <summary>The names /api/tags lists, each with its size on disk (all its layers).</summary>
    public Task<IReadOnlyList<(string Name, long Size)>> ListAsync(CancellationToken cancel) =>
        CallAsync<IReadOnlyList<(string Name, long Size)>>("listing models", requestTimeout, async token =>
            [.. ((await api.ListLocalModelsAsync(token).ConfigureAwait(false)) ?? []).Select(m => (m.Name ?? m.ModelName ?? "", m.Size)).Where(m => m.Item1.Length > 0)], cancel);

    /// <summary>
    /// Pulls <paramref name="model"/>, passing every progress line on. Gives up as stalled when the stream sends
    /// nothing for <paramref name="stall"/>, and also when it keeps sending but no byte moves for that long: while
    /// the registry stalls, Ollama repeats the same progress every 60 ms and retries for ever (server/download.go:
    /// blobDownload.Wait, downloadChunk).
    /// </summary>
    public Task PullAsync(string model, TimeSpan stall, Action<PullLine> progress, CancellationToken cancel)
    {
        var what = $"pull of '{model}'";
        return CallAsync(what, Timeout.InfiniteTimeSpan, async token =>
        {
            var request = new StreamedPullRequest(stall) { Model = model, Stream = true };
            var moved = Stopwatch.StartNew();
            var seen = new Dictionary<string, long>(StringComparer.Ordinal);
            await foreach (var line in api.PullModelAsync(request, token).ConfigureAwait(false))
            {
                if (line is null)
                {
                    continue;
                }

                if (line.Status == "success")
                {
                    return true;
                }

                var digest = string.IsNullOrEmpty(line.Digest) ? null : line.Digest;
                if (digest is null || seen.GetValueOrDefault(digest, -1) < line.Completed)
                {
                    moved.Restart();
                }
                else if (moved.Elapsed >= stall)
                {
                    throw new OllamaException(FailureKind.Stalled, $"{what}: no bytes arrived for {OllamaText.Duration(stall)} though Ollama kept reporting progress (the registry download is stuck)");
                }

                if (digest is not null)
                {
                    seen[digest] = Math.Max(line.Completed, seen.GetValueOrDefault(digest));
                }

                progress(new PullLine(line.Status ?? "", digest, line.Completed, line.Total));
            }

            token.ThrowIfCancellationRequested();
            throw new OllamaException(FailureKind.Interrupted, $"{what}: the stream ended before Ollama reported success");
        }, cancel);
    }

    public Task CreateAsync(string model, string from, string? system, IReadOnlyDictionary<string, object>? parameters, TimeSpan stall, CancellationToken cancel)
    {
        var what = $"creating '{model}' from '{from}'";
        return CallAsync(what, Timeout.InfiniteTimeSpan, async token =>
        {
            var request = new StreamedCreateRequest(stall)
            {
                Model = model,
                From = from,
                System = system,
                Parameters = parameters is null ? null : new Dictionary<string, object>(parameters, StringComparer.Ordinal),
                Stream = true,
            };
            await foreach (var line in api.CreateModelAsync(request, token).ConfigureAwait(false))
            {
                if (line?.Status == "success")
                {
                    return true;
                }
            }

            token.ThrowIfCancellationRequested();
            throw new OllamaException(FailureKind.Interrupted, $"{what}: the stream ended before Ollama reported success");
        }, cancel);
    }

    public Task DeleteAsync(string model, CancellationToken cancel) =>
        CallAsync($"removing '{model}'", requestTimeout, async token =>
        {
            await api.DeleteModelAsync(new DeleteModelRequest { Model = model }, token).ConfigureAwait(false);
            return true;
        }, cancel);

    /// <summary>A model's stored definition, or null when Ollama does not have it.</summary>
    public async Task<ShowModelResponse?> ShowAsync(string model, CancellationToken cancel)
    {
        try
        {
            return await CallAsync($"reading the definition of '{model}'", requestTimeout, token => api.ShowModelAsync(new ShowModelRequest { Model = model }, token), cancel).ConfigureAwait(false);
        }
        catch (OllamaException e) when (e.Kind is FailureKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>A generation; with no prompt Ollama only loads the model. <paramref name="keepAlive"/> is a Go duration ("10m", "-1m").</summary>
    public Task<GenerateDoneResponseStream> GenerateAsync(string model, string? prompt, string? keepAlive, int? numPredict, TimeSpan timeout, CancellationToken cancel) =>
        CallAsync(prompt is null ? $"loading '{model}'" : $"a one-token generation with '{model}'", timeout, async token =>
        {
            var request = new GenerateRequest
            {
                Model = model,
                Prompt = prompt!,
                Stream = false,
                KeepAlive = keepAlive,
                Options = numPredict is { } n ? new RequestOptions { NumPredict = n } : null,
            };
            GenerateDoneResponseStream? done = null;
            await foreach (var line in api.GenerateAsync(request, token).ConfigureAwait(false))
            {
                done = line as GenerateDoneResponseStream ?? done;
            }

            return done ?? throw new OllamaException(FailureKind.Interrupted, $"the answer ended before Ollama said it was done");
        }, cancel);

    public Task<EmbedResponse> EmbedAsync(string model, string input, string? keepAlive, TimeSpan timeout, CancellationToken cancel) =>
        CallAsync($"an embedding with '{model}'", timeout, token => api.EmbedAsync(new EmbedRequest { Model = model, Input = [input], KeepAlive = keepAlive }, token), cancel);

    public Task<IReadOnlyList<RunningModel>> PsAsync(CancellationToken cancel) =>
        CallAsync<IReadOnlyList<RunningModel>>("listing loaded models", requestTimeout, async token => [.. (await api.ListRunningModelsAsync(token).ConfigureAwait(false)) ?? []], cancel);

    /// <summary>The ids on the OpenAI-compatible model list that editors and chat UIs read (not an OllamaSharp call).</summary>
    public Task<IReadOnlyList<string>> OpenAiModelIdsAsync(CancellationToken cancel) =>
        CallAsync<IReadOnlyList<string>>("listing models on the OpenAI-compatible API", requestTimeout, async token =>
        {
            using var request = Request("v1/models", withCredentials: true);
            using var response = await SendAsync(request, token).ConfigureAwait(false);
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false), cancellationToken: token).ConfigureAwait(false);
            return json.RootElement.TryGetProperty("data", out var data) && data.ValueKind is JsonValueKind.Array
                ? [.. data.EnumerateArray().Select(m => m.TryGetProperty("id", out var id) ? id.GetString() ?? "" : "")]
                : [];
        }, cancel);

    /// <summary>The status a request without any credential gets; a proxy with auth should refuse it.</summary>
    public Task<int> StatusWithoutCredentialsAsync(CancellationToken cancel) =>
        CallAsync("a request without credentials", requestTimeout, async token =>
        {
            using var request = Request("api/tags", withCredentials: false);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            return (int)response.StatusCode;
        }, cancel);

    public void Dispose()
    {
        api.Dispose();
        http.Dispose();
    }

    private HttpRequestMessage Request(string path, bool withCredentials)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in withCredentials ? endpoint.Headers.Concat(endpoint.Credentials) : endpoint.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancel)
    {
        var response = await http.SendAsync(request, cancel).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
                throw new OllamaStatusException((int)response.StatusCode, string.IsNullOrWhiteSpace(text) ? null : OllamaText.Excerpt(text));
            }
        }

        return response;
    }

    /// <summary>Runs one call with a timeout and turns whatever it throws into one <see cref="OllamaException"/>.</summary>
    private async Task<T> CallAsync<T>(string what, TimeSpan timeout, Func<CancellationToken, Task<T>> call, CancellationToken cancel)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timer.CancelAfter(timeout);
        try
        {
            return await call(timer.Token).ConfigureAwait(false);
        }
        catch (OllamaException e)
        {
            throw Redacted(what, e.Kind, e.Message.StartsWith(what, StringComparison.Ordinal) ? e.Message : $"{what}: {e.Message}", e.Status, e.Detail);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw Redacted(what, FailureKind.Timeout, $"{what}: no answer from {BaseUrl} within {OllamaText.Duration(timeout)}");
        }
        catch (Exception e) when (Classify(e) is var (kind, cause, status, detail))
        {
            throw Redacted(what, kind, $"{what}: {cause}", status, detail);
        }
    }

    private (FailureKind Kind, string Cause, int? Status, string? Detail)? Classify(Exception e) => e switch
    {
        OllamaStatusException { Status: var status, Detail: var detail } => status switch
        {
            403 when detail?.Contains(CloudDisabledPrefix, StringComparison.Ordinal) == true =>
                (FailureKind.CloudDisabled, $"refused with HTTP 403: Ollama's cloud is off on this instance ({detail}), and this is a cloud model that ollama.com runs; allow it with 'cloud: true' on the instance and no OLLAMA_NO_CLOUD in its env or Ollama's server config, or declare a local model", status, detail),
            401 or 403 => (FailureKind.Unauthorized, $"refused with HTTP {status}", status, detail),
            404 => (FailureKind.NotFound, $"not found (HTTP 404{Said(detail)})", status, detail),
            429 or >= 500 => (FailureKind.Server, $"the server answered HTTP {status}{Said(detail)}", status, detail),
            _ => (FailureKind.Rejected, $"refused with HTTP {status}{Said(detail)}", status, detail),
        },

        // An {"error": ...} line inside a 200 stream (OllamaSharp's ResponseError), e.g. a registry failure mid-pull.
        ResponseError error => (FailureKind.StreamError, $"Ollama reported '{error.Message}'", null, error.Message),
        StreamStalledException stalled => (FailureKind.Stalled, $"the stream stalled (no data for {OllamaText.Duration(stalled.Silence)})", null, null),
        HttpRequestException { InnerException: AuthenticationException { Message: var rejected } } when rejected.Contains("remote certificate", StringComparison.OrdinalIgnoreCase) =>
            (FailureKind.Untrusted, $"the certificate of {BaseUrl} is not trusted ({rejected})", null, null),
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse } broken => (FailureKind.Interrupted, $"the stream broke off ({broken.Message})", null, null),
        HttpRequestException http => (FailureKind.Unreachable, $"cannot reach {BaseUrl}: {(http.InnerException is { Message.Length: > 0 } inner ? inner.Message : http.Message)}", null, null),
        IOException io => (FailureKind.Interrupted, $"the stream broke off ({io.Message})", null, null),
        JsonException json => (FailureKind.BadResponse, $"the answer is not the JSON Ollama sends ({json.Message})", null, null),
        _ => null,
    };

    /// <summary>What Ollama's 403 for a cloud model says while its cloud is off (internal/cloud/policy.go DisabledMessagePrefix).</summary>
    private const string CloudDisabledPrefix = "ollama cloud is disabled";

    private static string Said(string? detail) => detail is null ? "" : $": {detail}";

    private OllamaException Redacted(string what, FailureKind kind, string message, int? status = null, string? detail = null) =>
        new(kind, endpoint.Redact(message), status, detail is null ? null : endpoint.Redact(detail), what);
}
