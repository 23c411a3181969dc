namespace HomeLab.Hooks;

/// <summary>Retry and timeout settings; the defaults suit a real deployment, tests shorten them.</summary>
internal sealed record HookOptions(int Attempts, TimeSpan RetryDelay, TimeSpan MaxRetryDelay, TimeSpan RequestTimeout, TimeSpan LoadTimeout, TimeSpan ReadyProbeTimeout, TimeSpan ReadyPollMax)
{
    public static readonly HookOptions Defaults = new(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200));
}
