using HomeLab.Hooks;

using Spectre.Console;

namespace HomeLab.Cli.Views;

/// <summary>A hooks console for a terminal: live progress bars for pulls.</summary>
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
