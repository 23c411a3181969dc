using System.Net;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HomeLab.Tests.Support;

/// <summary>
/// The start-up every HTTP stand-in of the tests shares (the Ollama stand-in, the Kubernetes API stand-in, the
/// recording upstream, the fake forge): a slim ASP.NET app on 127.0.0.1, silent, on a port of its own choosing
/// unless one is given; started, its URL read back; stopped and disposed.
/// </summary>
public static class LoopbackServer
{
    /// <summary>An app that will listen on 127.0.0.1:<paramref name="port"/> (0: any free port), for the stand-in to map its routes on.</summary>
    public static WebApplication Create(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        return builder.Build();
    }

    /// <summary>Starts the app and returns the URL it listens on (http://127.0.0.1:PORT/).</summary>
    public static async Task<Uri> StartAsync(WebApplication app)
    {
        await app.StartAsync().ConfigureAwait(false);
        return new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
    }

    public static async ValueTask StopAsync(WebApplication app)
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
