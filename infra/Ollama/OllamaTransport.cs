using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

using OllamaSharp;
using OllamaSharp.Models;

namespace HomeLab.Ollama;

/// <summary>
/// OllamaSharp's client with the gaps closed that matter to a deployment tool: every request carries the endpoint's
/// headers; a refused request keeps its HTTP status and Ollama's <c>{"error"}</c> text (<see cref="OllamaStatusException"/>)
/// instead of a bare <see cref="HttpRequestException"/>; a streamed answer is read through a
/// <see cref="ReadTimeoutStream"/>; request bodies leave out unset fields, as Ollama's own client does; JSON goes
/// through the source-generated <see cref="OllamaJson"/>, never reflection, so the native build works as the managed one.
/// </summary>
internal sealed class OllamaTransport : OllamaApiClient
{
    private readonly HttpClient http;
    private readonly IReadOnlyDictionary<string, string> headers;

    public OllamaTransport(HttpClient http, IReadOnlyDictionary<string, string> headers)
        : base(http, defaultModel: "", OllamaJson.Default)
    {
        this.http = http;
        this.headers = headers;

        // Unset fields would otherwise go out as nulls (CreateModelRequest.License and the like), and OllamaRequest's
        // CustomHeaders as an empty object.
        OutgoingJsonSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        OutgoingJsonSerializerOptions.TypeInfoResolver = OllamaJson.Default.WithAddedModifier(LeaveOutCustomHeaders);
    }

    /// <summary>
    /// OllamaRequest.CustomHeaders are headers for OllamaSharp to send, not a field of Ollama's request bodies. The
    /// source-generated metadata writes the get-only property even with IgnoreReadOnlyProperties, so it is removed.
    /// </summary>
    private static void LeaveOutCustomHeaders(JsonTypeInfo info)
    {
        if (info.Type.IsAssignableTo(typeof(OllamaRequest)) && info.Properties.FirstOrDefault(p => p.Name == nameof(OllamaRequest.CustomHeaders)) is { } headers)
        {
            info.Properties.Remove(headers);
        }
    }

    protected override async Task<HttpResponseMessage> SendToOllamaAsync(HttpRequestMessage requestMessage, OllamaRequest? ollamaRequest, HttpCompletionOption completionOption, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in headers)
        {
            requestMessage.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        using (var headersDue = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // A streamed call has no overall timeout; its answer must at least begin within one read timeout.
            headersDue.CancelAfter(ollamaRequest is IStreamedRequest { ReadTimeout: var first } ? first : Timeout.InfiniteTimeSpan);
            try
            {
                response = await http.SendAsync(requestMessage, completionOption, headersDue.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && ollamaRequest is IStreamedRequest streamedRequest)
            {
                throw new StreamStalledException(streamedRequest.ReadTimeout);
            }
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw new OllamaStatusException((int)response.StatusCode, await ErrorTextAsync(response, cancellationToken).ConfigureAwait(false));
            }
        }

        if (ollamaRequest is IStreamedRequest streamed)
        {
            var original = response.Content;
            var body = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var wrapped = new StreamContent(new ReadTimeoutStream(body, streamed.ReadTimeout, cancellationToken));
            foreach (var header in original.Headers)
            {
                wrapped.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = wrapped;
        }

        return response;
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
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind is JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind is JsonValueKind.String && error.GetString() is { Length: > 0 } said)
            {
                return said;
            }
        }
        catch (JsonException)
        {
            // Not Ollama's error shape; report the text itself.
        }

        return OllamaText.Excerpt(text);
    }

}
