using System.Collections.Concurrent;

using HomeLab.Hooks;

namespace HomeLab.Cli.Views;

/// <summary>A hooks console for captured output: one line per event and, while pulls run, periodic progress lines.</summary>
internal sealed class PlainConsole(TextWriter writer, TimeSpan interval, Func<string, string> redact) : HookConsole(redact)
{
    private readonly Lock gate = new();

    public override async Task PullsAsync(IReadOnlyList<string> models, Func<IPullView, Task> pulls)
    {
        var view = new PlainView(this);
        using var stop = new CancellationTokenSource();
        var ticker = TickAsync(view, stop.Token);
        try
        {
            await pulls(view).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await ticker.ConfigureAwait(false);
        }
    }

    protected override void Write(string text)
    {
        lock (gate)
        {
            writer.WriteLine(text);
            writer.Flush();
        }
    }

    private async Task TickAsync(PlainView view, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                foreach (var line in view.StatusLines())
                {
                    Write(line);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The pulls are over.
        }
    }

    private sealed class PlainView(PlainConsole console) : IPullView
    {
        private readonly ConcurrentDictionary<string, (PullProgress Progress, DateTimeOffset Started, long StartBytes)> running = new(StringComparer.Ordinal);

        public void Progress(string model, PullProgress progress) =>
            running.AddOrUpdate(model, _ => (progress, DateTimeOffset.UtcNow, progress.Completed), (_, old) => (progress, old.Started, old.StartBytes));

        public void Done(string model, string outcome)
        {
            running.TryRemove(model, out _);
            console.Write(console.Redact($"pull {model}: {outcome}"));
        }

        public IEnumerable<string> StatusLines() =>
            running.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r =>
            {
                var (progress, started, startBytes) = r.Value;
                var seconds = Math.Max((DateTimeOffset.UtcNow - started).TotalSeconds, 0.001);
                var rate = (progress.Completed - startBytes) / seconds;
                var percent = progress.Total > 0 ? (int)(100 * progress.Completed / progress.Total) : 0;
                return $"pull {r.Key}: {percent}% {Durations.Bytes(progress.Completed)}/{Durations.Bytes(progress.Total)} {Durations.Bytes((long)rate)}/s ({progress.Status})";
            });
    }
}
