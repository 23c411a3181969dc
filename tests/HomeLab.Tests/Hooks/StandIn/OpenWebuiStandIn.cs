using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;

using HomeLab.Conventions;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HomeLab.Tests.Hooks.StandIn;

/// <summary>
/// An Open WebUI stand-in on 127.0.0.1 for the endpoints the hooks and status use, each as Open WebUI's backend
/// (backend/open_webui) answers it: main.py healthcheck() (GET /health, {"status": true}, no sign-in);
/// routers/auths.py signin() (with a trusted e-mail header configured, the header names the user and a missing header
/// is 400 INVALID_TRUSTED_HEADER; otherwise e-mail and password, 400 INVALID_CRED when wrong; the answer carries the
/// session "token"); main.py get_models() behind utils/auth.py get_verified_user() (401 without a session token it
/// issued; {"data": [{"id": ...}]}, the ids as Ollama's /api/tags names the models it reaches). It records every
/// request, so a test can see what the proxy let through.
/// </summary>
public sealed class OpenWebuiStandIn : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, string> sessions = new(StringComparer.Ordinal);

    private OpenWebuiStandIn(WebApplication app, Func<IEnumerable<string>> models, (string Email, string Password)? admin)
    {
        this.app = app;
        Map(models, admin);
    }

    public string Address { get; private set; } = "";

    /// <summary>Each request as received: method, path, and its Authorization header if any.</summary>
    public ConcurrentQueue<(string Method, string Path, string? Authorization)> Requests { get; } = new();

    /// <summary>What /health says (main.py healthcheck() answers true once the app has started).</summary>
    public bool Healthy { get; set; } = true;

    /// <param name="models">What the Ollama instances behind it list, as /api/tags names them.</param>
    /// <param name="admin">Sign-in mode webui: the admin Open WebUI created at start (WEBUI_ADMIN_EMAIL/_PASSWORD); null for mode proxy (trusted header).</param>
    public static async Task<OpenWebuiStandIn> StartAsync(Func<IEnumerable<string>> models, (string Email, string Password)? admin = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var standIn = new OpenWebuiStandIn(builder.Build(), models, admin);
        await standIn.app.StartAsync();
        standIn.Address = new Uri(standIn.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()).Authority;
        return standIn;
    }

    private void Map(Func<IEnumerable<string>> models, (string Email, string Password)? admin)
    {
        app.Use(async (context, next) =>
        {
            Requests.Enqueue((context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.Authorization.Count > 0 ? context.Request.Headers.Authorization.ToString() : null));
            await next(context);
        });
        app.MapGet(WebuiEndpoints.HealthPath, () => Results.Json(new JsonObject { ["status"] = Healthy }));
        app.MapPost(WebuiEndpoints.SignInPath, async (HttpContext context) =>
        {
            string email;
            if (admin is not { } account)
            {
                if (!context.Request.Headers.TryGetValue(WebuiEndpoints.TrustedEmailHeader, out var trusted))
                {
                    return Results.Json(new JsonObject { ["detail"] = "invalid trusted header" }, statusCode: 400);
                }

                email = trusted.ToString().ToLowerInvariant();
            }
            else
            {
                var form = await JsonNode.ParseAsync(context.Request.Body);
                email = form?["email"]?.GetValue<string>()?.ToLowerInvariant() ?? "";
                if (!string.Equals(email, account.Email, StringComparison.OrdinalIgnoreCase) || form?["password"]?.GetValue<string>() != account.Password)
                {
                    return Results.Json(new JsonObject { ["detail"] = "The email or password provided is incorrect." }, statusCode: 400);
                }
            }

            var token = Guid.NewGuid().ToString("N");
            sessions[token] = email;
            return Results.Json(new JsonObject { ["token"] = token, ["token_type"] = "Bearer", ["email"] = email });
        });
        app.MapGet(WebuiEndpoints.ModelsPath, (HttpContext context) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !sessions.ContainsKey(header["Bearer ".Length..]))
            {
                return Results.Json(new JsonObject { ["detail"] = "Not authenticated" }, statusCode: 401);
            }

            return Results.Json(new JsonObject { ["data"] = new JsonArray([.. models().Select(id => (JsonNode)new JsonObject { ["id"] = id, ["owned_by"] = "ollama" })]) });
        });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
