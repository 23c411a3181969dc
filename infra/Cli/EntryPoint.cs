using System.CommandLine;
using System.Text;

using HomeLab.Spec;
using HomeLab.Workspace;

namespace HomeLab.Cli;

internal static class EntryPoint
{
    public static int Main(string[] args)
    {
        Console.OutputEncoding = new UTF8Encoding(false);
        try
        {
            var root = Cli.Build();
            var parsed = root.Parse(args);
            if (args.Length > 0 && !args[0].StartsWith('-') && !root.Subcommands.Any(c => c.Name == args[0]))
            {
                // One line that says what was meant, instead of a parser error per argument.
                var commands = root.Subcommands.Select(c => c.Name).ToList();
                Console.Error.WriteLine($"homelab: '{args[0]}' is not a homelab command — " +
                    (Suggest.Nearest(args[0], commands) is { } near
                        ? $"did you mean 'homelab {string.Join(' ', [near, .. args[1..]])}'?"
                        : $"the commands are: {string.Join(", ", commands)}; run 'homelab --help' for what each does"));
                return ExitCodes.BadInput;
            }

            if (parsed.Errors.Count > 0)
            {
                // A wrong command line is bad input like a wrong stack file: one line each, exit 2.
                foreach (var error in parsed.Errors)
                {
                    Console.Error.WriteLine($"homelab: {error.Message}");
                }

                Console.Error.WriteLine("Run 'homelab --help' (or 'homelab COMMAND --help') for usage.");
                return ExitCodes.BadInput;
            }

            // Without System.CommandLine's own handler, which prints the stack trace, an unexpected exception
            // reaches the one-line report below.
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
#pragma warning disable CA1031 // The last line of defence: an operator sees one line, not a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"homelab: internal error: {e.Message} (set HOMELAB_DEBUG=1 for details)");
            if (Environment.GetEnvironmentVariable("HOMELAB_DEBUG") == "1")
            {
                Console.Error.WriteLine(e);
            }

            return ExitCodes.Failed;
        }
    }
}
