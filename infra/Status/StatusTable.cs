using HomeLab.Hooks;

using Spectre.Console;
using Spectre.Console.Rendering;

namespace HomeLab.Status;

/// <summary>The status for a person: one table row per instance, then the proxy, the front end and the verdict. Colour only on a terminal (see Terminal).</summary>
internal static class StatusTable
{
    public static IRenderable Render(LabStatus status)
    {
        var table = new Table().Title($"[bold]stack {Markup.Escape(status.Stack)}[/] [grey]{status.CheckedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z[/]")
            .AddColumns("instance", "ollama", "models", "loaded");
        foreach (var instance in status.Instances)
        {
            table.AddRow(
                new Markup($"{Markup.Escape(HookPlan.TargetOf(instance.Instance, instance.Replica))}\n[grey]{Markup.Escape(instance.Host)}[/]"),
                new Markup(instance.Reachable ? $"[green]up[/] {Markup.Escape(instance.Version ?? "")}" : "[red]unreachable[/]"),
                new Markup(string.Join("\n", instance.Models.Select(Model)) is { Length: > 0 } models ? models : "[grey]-[/]"),
                new Markup(string.Join("\n", instance.Loaded.Select(m => Loaded(m, status.CheckedAt))) is { Length: > 0 } loaded ? loaded : "[grey]none[/]"));
        }

        var lines = new List<IRenderable> { table };
        if (status.Proxy is { } proxy)
        {
            lines.Add(new Markup(proxy.Problem is null
                ? $"proxy {Markup.Escape(proxy.Url.AbsoluteUri)}: [green]refuses requests without credentials[/] (HTTP {proxy.AnonymousStatus})"
                : $"proxy {Markup.Escape(proxy.Url.AbsoluteUri)}: [red]{Markup.Escape(proxy.Problem)}[/]"));
        }

        if (status.Webui is { } webui)
        {
            lines.Add(new Markup(webui.Problem is null
                ? $"front end {Markup.Escape(webui.Url.AbsoluteUri)}: [green]healthy[/]"
                : $"front end {Markup.Escape(webui.Url.AbsoluteUri)}: [red]{Markup.Escape(webui.Problem)}[/]"));
        }

        var problems = status.Instances.Sum(i => i.Problems.Count) + (status.Proxy?.Problem is null ? 0 : 1) + (status.Webui?.Problem is null ? 0 : 1);
        lines.Add(new Markup(status.Healthy ? "[green]healthy[/]" : $"[red]degraded[/]: {problems} problem(s)"));
        return new Rows(lines);
    }

    private static string Model(ModelStatus model) => model.State switch
    {
        ModelState.Present => $"[green]✓[/] {Markup.Escape(model.Name)}",
        ModelState.Missing => $"[red]✗ missing[/] {Markup.Escape(model.Name)}",
        ModelState.Drifted => $"[yellow]~ drifted[/] {Markup.Escape(model.Name)}",
        _ => $"[grey]+ extra {Markup.Escape(model.Name)}[/]",
    };

    private static string Loaded(LoadedModel model, DateTimeOffset now)
    {
        var gpu = (int)Math.Round(model.VramRatio * 100);
        var split = gpu switch
        {
            100 => "100% GPU",
            0 => "100% CPU",
            _ => $"{gpu}% GPU / {100 - gpu}% CPU",
        };
        var until = model.ExpiresAt is not { } expires ? ""
            : expires - now > TimeSpan.FromDays(3650) ? ", kept loaded"
            : expires > now ? $", unloads in {Durations.Text(expires - now)}"
            : ", unloading";
        return Markup.Escape($"{model.Name} {Durations.Bytes(model.Size)} {split}{until}");
    }
}
