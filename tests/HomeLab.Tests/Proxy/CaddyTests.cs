using System.Net.Http.Headers;
using System.Text;

using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Proxy;

/// <summary>Tests against a real Caddy running a generated Caddyfile in front of recording upstreams; everything started is stopped after each test.</summary>
public abstract class CaddyTests : RunningServers
{
    private protected async Task<RecordingUpstream> Upstream(string name)
    {
        var upstream = await RecordingUpstream.StartAsync(name);
        Track(upstream);
        return upstream;
    }

    private protected async Task<CaddyProcess> Caddy(StackSpec spec, Dictionary<string, RecordingUpstream> upstreams, Dictionary<string, string?> secrets, RecordingUpstream? webui = null)
    {
        var caddy = await CaddyProcess.StartAsync(spec, instance => upstreams[instance.Name].Address, secrets, webuiUpstream: webui?.Address);
        Track(caddy);
        return caddy;
    }

    private protected static Task<HttpResponseMessage> Get(HttpClient client, string path, string? bearer = null, (string User, string Password)? basic = null, (string Header, string Value)? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (basic is { } login)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.User}:{login.Password}")));
        }

        if (apiKey is { } key)
        {
            request.Headers.Add(key.Header, key.Value);
        }

        return client.SendAsync(request);
    }
}
