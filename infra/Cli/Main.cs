using System.Text;

namespace HomeLab.Cli;

internal static class EntryPoint
{
    public static int Main(string[] args)
    {
        Console.OutputEncoding = new UTF8Encoding(false);
        try
        {
            return Cli.Build().Parse(args).Invoke();
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
