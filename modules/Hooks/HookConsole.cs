using System.Collections.Concurrent;

using Spectre.Console;

namespace HomeLab.Modules.Hooks;

/// <summary>Where one pull reports its progress and end.</summary>
internal interface IPullView
{
    void Progress(string model, PullProgress progress);

    void Done(string model, string outcome);
}

/// <summary>
/// The human side of a hooks run, on stderr (stdout carries the JSON report): live bars on a terminal, periodic
/// plain lines when the output is captured, as it is under Pulumi. Every line passes through the redactor.
/// </summary>
internal abstract class HookConsole(Func<string, string> redact)
{
    public static HookConsole Create(TextWriter stderr, bool terminal, Func<string, string> redact, TimeSpan? interval = null) =>
        terminal
            ? new LiveConsole(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr), Interactive = InteractionSupport.Yes }), redact)
            : new PlainConsole(stderr, interval ?? TimeSpan.FromSeconds(10), redact);

    public void Line(string text) => Write(redact(text));

    public abstract Task PullsAsync(IReadOnlyList<string> models, Func<IPullView, Task> pulls);

    protected abstract void Write(string text);

    protected string Redact(string text) => redact(text);
}

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

internal sealed class LiveConsole(IAnsiConsole console, Func<string, string> redact) : HookConsole(redact)
{
    public override Task PullsAsync(IReadOnlyList<string> models, Func<IPullView, Task> pulls) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = models.ToDictionary(m => m, m => context.AddTask(Markup.Escape(m), autoStart: true, maxValue: 1), StringComparer.Ordinal);
                await pulls(new LiveView(this, tasks)).ConfigureAwait(false);
            });

    protected override void Write(string text) => console.MarkupLine(Markup.Escape(text));

    private sealed class LiveView(LiveConsole console, Dictionary<string, ProgressTask> tasks) : IPullView
    {
        public void Progress(string model, PullProgress progress)
        {
            if (tasks.TryGetValue(model, out var task) && progress.Total > 0)
            {
                task.MaxValue = progress.Total;
                task.Value = progress.Completed;
            }
        }

        public void Done(string model, string outcome)
        {
            if (tasks.TryGetValue(model, out var task))
            {
                task.Value = task.MaxValue;
                task.Description = Markup.Escape($"{model}: {console.Redact(outcome)}");
                task.StopTask();
            }
        }
    }
}
