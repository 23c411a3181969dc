namespace HomeLab.Hooks;

/// <summary>
/// The human side of a hooks run, on stderr (stdout carries the JSON report): live bars on a terminal, periodic
/// plain lines when the output is captured, as it is under Pulumi. Every line passes through the redactor.
/// The hooks write to this; the CLI's views (infra/Cli/Views) draw it.
/// </summary>
internal abstract class HookConsole(Func<string, string> redact)
{
    public void Line(string text) => Write(redact(text));

    public abstract Task PullsAsync(IReadOnlyList<string> models, Func<IPullView, Task> pulls);

    protected abstract void Write(string text);

    protected string Redact(string text) => redact(text);
}
