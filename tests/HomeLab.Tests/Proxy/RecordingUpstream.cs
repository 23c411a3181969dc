using System.Collections.Concurrent;

using HomeLab.Conventions;
using HomeLab.Tests.Support;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HomeLab.Tests.Proxy;

/// <summary>One request as the upstream received it, after the proxy.</summary>
internal sealed record SeenRequest(string Method, string Path, string Host, string? Authorization, IReadOnlyList<string> HeaderNames)
{
    /// <summary>Every header as received, names as the client (the proxy) wrote them, values joined with ", ".</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A tiny Ollama look-alike on 127.0.0.1 that records what reaches it and says who answered (body and
/// X-Upstream header). <c>/api/generate</c> streams NDJSON: the first line at once, the last only after
/// <see cref="ReleaseStream"/>, so a test can prove the proxy passes lines on before the stream ends.
/// </summary>
internal sealed class RecordingUpstream : IAsyncDisposable
{
    private static readonly TimeSpan StreamGateTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication app;
    private readonly SemaphoreSlim streamGate = new(0);

    private RecordingUpstream(string name, WebApplication app)
    {
        Name = name;
        this.app = app;
    }

    public string Name { get; }

    public int Port { get; private set; }

    /// <summary>host:port as a Caddy upstream.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public int Count(string path) => Requests.Count(r => r.Path == path);

    /// <summary>Lets the oldest waiting <c>/api/generate</c> stream write its last line.</summary>
    public void ReleaseStream() => streamGate.Release();

    public static async Task<RecordingUpstream> StartAsync(string name)
    {
        var upstream = new RecordingUpstream(name, LoopbackServer.Create());
        upstream.Map();
        upstream.Port = (await LoopbackServer.StartAsync(upstream.app)).Port;
        return upstream;
    }

    private void Map()
    {
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            Requests.Enqueue(new SeenRequest(
                request.Method,
                request.Path.Value ?? "",
                request.Host.Value ?? "",
                request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null,
                [.. request.Headers.Keys])
            {
                Values = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            });
            context.Response.Headers["X-Upstream"] = Name;
            await next(context);
        });
        app.UseWebSockets();
        // Open WebUI's chat channel: Socket.IO over a WebSocket at /ws/socket.io/ (backend/open_webui/socket/main.py,
        // socketio.ASGIApp(..., socketio_path="/ws/socket.io")). The stand-in echoes one message with its name.
        app.Map("/ws/socket.io/", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[1024];
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            var reply = System.Text.Encoding.UTF8.GetBytes(Name + ":" + System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count));
            await socket.SendAsync(reply, System.Net.WebSockets.WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
        });
        app.MapGet("/health", () => Json("""{"status":true}"""));
        app.MapGet("/api/version", () => Json($$"""{"version":"{{Pins.OllamaVersion}}"}"""));
        app.MapGet("/api/tags", () => Json($$"""{"models":[{"name":"llama3.2:1b","model":"llama3.2:1b"}],"upstream":"{{Name}}"}"""));
        app.MapGet("/v1/models", () => Json($$"""{"object":"list","data":[{"id":"llama3.2:1b","object":"model"}],"upstream":"{{Name}}"}"""));
        app.MapPost("/api/generate", async context =>
        {
            context.Response.ContentType = "application/x-ndjson";
            await context.Response.WriteAsync("""{"model":"llama3.2:1b","response":"Hel","done":false}""" + "\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            if (!await streamGate.WaitAsync(StreamGateTimeout, context.RequestAborted))
            {
                return;
            }

            await context.Response.WriteAsync("""{"model":"llama3.2:1b","response":"lo","done":true}""" + "\n", context.RequestAborted);
        });
    }

    private static IResult Json(string body) => Results.Text(body, "application/json");

    public async ValueTask DisposeAsync()
    {
        await LoopbackServer.StopAsync(app);
        streamGate.Dispose();
    }
}
