using System.Collections.Concurrent;
using System.Net;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HomeLab.Tests.Proxy;

/// <summary>One request as the upstream received it, after the proxy.</summary>
internal sealed record SeenRequest(string Method, string Path, string Host, string? Authorization, IReadOnlyList<string> HeaderNames);

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
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var upstream = new RecordingUpstream(name, builder.Build());
        upstream.Map();
        await upstream.app.StartAsync();
        var address = upstream.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        upstream.Port = new Uri(address).Port;
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
                [.. request.Headers.Keys]));
            context.Response.Headers["X-Upstream"] = Name;
            await next(context);
        });
        app.MapGet("/api/version", () => Json("""{"version":"0.12.6"}"""));
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
        await app.StopAsync();
        await app.DisposeAsync();
        streamGate.Dispose();
    }
}
