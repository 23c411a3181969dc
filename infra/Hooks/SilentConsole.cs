namespace HomeLab.Hooks;

/// <summary>A hooks console that shows nothing: for callers that report only the outcome (homelab status).</summary>
internal sealed class SilentConsole() : HookConsole(text => text), IPullView
{
    public override Task PullsAsync(IReadOnlyList<string> models, Func<IPullView, Task> pulls) => pulls(this);

    public void Progress(string model, PullProgress progress)
    {
    }

    public void Done(string model, string outcome)
    {
    }

    protected override void Write(string text)
    {
    }
}
