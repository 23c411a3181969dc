using HomeLab.Hooks;

using Spectre.Console;

namespace HomeLab.Cli.Views;

/// <summary>Picks the hooks console for where stderr goes: live bars on a terminal, periodic plain lines when captured.</summary>
internal static class HookConsoles
{
    public static HookConsole Create(TextWriter stderr, bool terminal, Func<string, string> redact, TimeSpan? interval = null) =>
        terminal
            ? new LiveConsole(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr), Interactive = InteractionSupport.Yes }), redact)
            : new PlainConsole(stderr, interval ?? TimeSpan.FromSeconds(10), redact);
}
