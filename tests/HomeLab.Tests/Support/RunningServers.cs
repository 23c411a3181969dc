namespace HomeLab.Tests.Support;

/// <summary>
/// Servers and processes a test starts (Caddy, upstreams, Ollama stand-ins), stopped when the test ends in the
/// reverse order of their start, so a proxy never outlives the upstreams it points at.
/// </summary>
public abstract class RunningServers : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> running = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(running))
        {
            await item.DisposeAsync();
        }
    }

    protected T Track<T>(T server)
        where T : IAsyncDisposable
    {
        running.Add(server);
        return server;
    }

    /// <summary>For a test that stops a server itself and must not stop it twice.</summary>
    protected void Forget(IAsyncDisposable server) => running.Remove(server);
}
