namespace HomeLab.Spec;

/// <summary>How the post-deploy hooks reach and treat the instances.</summary>
internal sealed record HooksSpec(bool Enabled, HookPath Via, TimeSpan ReadyTimeout, int PullConcurrency, bool Verify)
{
    public static readonly HooksSpec Defaults = new(true, HookPath.Proxy, TimeSpan.FromMinutes(5), 2, true);

    /// <summary>A pull or create stream that sends nothing for this long is abandoned and retried.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one model's pull may take in all, retries included.</summary>
    public TimeSpan PullTimeout { get; init; } = TimeSpan.FromHours(6);

    /// <summary>On an instance with a GPU, the share of each chat model that must be in GPU memory once loaded.</summary>
    public double MinVramShare { get; init; } = 1;
}
