using Spectre.Console;

namespace HomeLab.Cli;

/// <summary>Consoles for human output: colour on a terminal; plain, unwrapped text when piped or NO_COLOR is set.</summary>
internal static class Terminal
{
    public static IAnsiConsole For(TextWriter writer, bool redirected)
    {
        var plain = redirected || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = plain ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(writer),
        });
        if (plain)
        {
            // Piped output is read by tools and logs; wrapping at a guessed width would split lines mid-value.
            console.Profile.Width = 4096;
        }

        return console;
    }

    public static IAnsiConsole Stdout() => For(Console.Out, Console.IsOutputRedirected);

    public static IAnsiConsole Stderr() => For(Console.Error, Console.IsErrorRedirected);
}
