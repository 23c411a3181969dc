using System.Text;

using HomeLab.Workspace;

namespace HomeLab.Cli;

internal static class EntryPoint
{
    public static int Main(string[] args)
    {
        Console.OutputEncoding = new UTF8Encoding(false);
        try
        {
            var parsed = Cli.Build().Parse(args);
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

            return parsed.Invoke();
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
