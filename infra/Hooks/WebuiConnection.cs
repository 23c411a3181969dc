using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using HomeLab.Conventions;
using HomeLab.Ollama;
using HomeLab.Spec;

namespace HomeLab.Hooks;

/// <summary>
/// The chat front end (Open WebUI) through the proxy, as the hooks and status need it: its health, what it answers
/// without sign-in, and the models it lists to a signed-in user. Failures are <see cref="OllamaException"/>s classified
/// as for Ollama, so the hooks' bounded retries and their explanations apply; no message carries a credential, the
/// admin password or a session token.
/// </summary>
/// <remarks>
/// Open WebUI's side (backend/open_webui, stored versions main.py @cf17bb9e, routers/auths.py @db15b21a): healthcheck()
/// answers GET /health with {"status": true} and asks for no sign-in; signin() takes {"email", "password"} and answers
/// with the session's "token"; get_models() lists {"data": [{"id": ...}]} to a verified user (utils/auth.py,
/// get_verified_user(): 401 without a valid token).
/// </remarks>
internal sealed class WebuiConnection(HttpMessageHandler handler, WebuiPlan plan, HookCredential? proxyCredential, string? adminPassword, TimeSpan requestTimeout) : IDisposable
{
    private readonly HttpClient http = new(handler, disposeHandler: false) { BaseAddress = plan.Url, Timeout = Timeout.InfiniteTimeSpan };

    public WebuiPlan Plan { get; } = plan;

    /// <summary>
    /// GET /health: true when Open WebUI says its status is true. In sign-in mode proxy the proxy lets nobody through
    /// without signing in, except the hooks' own credential on exactly this path (CaddyWebuiSite), which it removes
    /// before Open WebUI sees the request.
    /// </summary>
    public Task<bool> HealthAsync(CancellationToken cancel) =>
        CallAsync("asking the front end for its health", async token =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, WebuiEndpoints.HealthPath.TrimStart('/'));
            if (Plan.SignIn is SignInMode.Proxy && proxyCredential is not null)
            {
                request.Headers.TryAddWithoutValidation(proxyCredential.Header, proxyCredential.HeaderValue);
            }

            using var response = await SendAsync(request, token).ConfigureAwait(false);
            var body = await ReadAsync(response, token).ConfigureAwait(false);
            return body?["status"]?.GetValueKind() is JsonValueKind.True;
        }, cancel);

    /// <summary>The status of GET /api/models with no credential at all: the proxy (mode proxy) or Open WebUI (mode webui) must refuse it.</summary>
    public Task<int> StatusWithoutSignInAsync(CancellationToken cancel) =>
        CallAsync("asking the front end for its models without signing in", async token =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, WebuiEndpoints.ModelsPath.TrimStart('/'));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            return (int)response.StatusCode;
        }, cancel);

    /// <summary>Signs in as the admin (sign-in mode webui) and returns the ids of the models Open WebUI lists to them.</summary>
    public Task<IReadOnlyList<string>> ModelIdsAsync(CancellationToken cancel) =>
        CallAsync<IReadOnlyList<string>>("signing in to the front end as its admin and listing its models", async token =>
        {
            using var signIn = new HttpRequestMessage(HttpMethod.Post, WebuiEndpoints.SignInPath.TrimStart('/'))
            {
                Content = new StringContent(new JsonObject { ["email"] = Plan.AdminEmail ?? "", ["password"] = adminPassword ?? "" }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            string session;
            using (var signedIn = await SendAsync(signIn, token).ConfigureAwait(false))
            {
                session = (await ReadAsync(signedIn, token).ConfigureAwait(false))?["token"]?.GetValue<string>()
                    ?? throw new OllamaException(FailureKind.BadResponse, "the front end's sign-in answered without a session token");
            }

            using var models = new HttpRequestMessage(HttpMethod.Get, WebuiEndpoints.ModelsPath.TrimStart('/'));
            models.Headers.Authorization = new("Bearer", session);
            using var listed = await SendAsync(models, token).ConfigureAwait(false);
            var data = (await ReadAsync(listed, token).ConfigureAwait(false))?["data"] as JsonArray ?? [];
            return [.. data.Select(m => m?["id"]?.GetValue<string>()).OfType<string>()];
        }, cancel);

    public void Dispose() => http.Dispose();

    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage response, CancellationToken cancel) =>
        await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false), cancellationToken: cancel).ConfigureAwait(false);

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancel)
    {
        var response = await http.SendAsync(request, cancel).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new OllamaStatusException((int)response.StatusCode, null);
        }

        return response;
    }

    /// <summary>One call with the request timeout; whatever it throws becomes one classified <see cref="OllamaException"/> naming the front end's URL.</summary>
    private async Task<T> CallAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancel)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timer.CancelAfter(requestTimeout);
        try
        {
            return await call(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new OllamaException(FailureKind.Timeout, $"{what}: no answer from {Plan.Url} within {OllamaText.Duration(requestTimeout)}", what: what);
        }
        catch (Exception e) when (Classify(e) is var (kind, cause, status))
        {
            throw new OllamaException(kind, $"{what}: {cause}", status, what: what);
        }
    }

    private (FailureKind Kind, string Cause, int? Status)? Classify(Exception e) => e switch
    {
        OllamaStatusException { Status: 401 or 403 } refused => (FailureKind.Unauthorized, $"{Plan.Url} refused it with HTTP {refused.Status}", refused.Status),
        OllamaStatusException { Status: 429 or >= 500 } failed => (FailureKind.Server, $"{Plan.Url} answered HTTP {failed.Status}", failed.Status),
        OllamaStatusException other => (FailureKind.Rejected, $"{Plan.Url} answered HTTP {other.Status}", other.Status),
        OllamaException known => (known.Kind, known.Message, known.Status),
        HttpRequestException { InnerException: AuthenticationException { Message: var rejected } } => (FailureKind.Untrusted, $"the certificate of {Plan.Url} is not trusted ({rejected})", null),
        HttpRequestException http => (FailureKind.Unreachable, $"cannot reach {Plan.Url}: {(http.InnerException is { Message.Length: > 0 } inner ? inner.Message : http.Message)}", null),
        JsonException or InvalidOperationException => (FailureKind.BadResponse, "the answer is not the JSON Open WebUI sends", null),
        _ => null,
    };
}
