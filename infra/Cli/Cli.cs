using System.CommandLine;

using HomeLab.Spec;
using HomeLab.Workspace;

namespace HomeLab.Cli;

/// <summary>The homelab command line. Every command reports bad input as plain lines on stderr and exits 2.</summary>
internal static class Cli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("HomeLab: declarative Ollama deployments on Docker and NixOS hosts, compiled to Pulumi programs.");
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(CompileCommand.Create());
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(SchemaCommand.Create());
        root.Subcommands.Add(HashPasswordCommand.Create());
        root.Subcommands.Add(SecretsCommand.Create());
        root.Subcommands.Add(DiffCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        foreach (var command in PulumiCommands.Create())
        {
            root.Subcommands.Add(command);
        }
        root.Subcommands.Add(HooksCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        return root;
    }

    /// <summary>Runs a command body, turning the expected failures into messages and exit codes instead of stack traces.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (IsExpected(e))
        {
            return Report(e);
        }
    }

    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (IsExpected(e))
        {
            return Report(e);
        }
    }

    private static bool IsExpected(Exception e) => e is StackFileException or UsageException or IOException or UnauthorizedAccessException;

    private static int Report(Exception e)
    {
        if (e is StackFileException stackFile)
        {
            foreach (var diagnostic in stackFile.Diagnostics)
            {
                Console.Error.WriteLine(diagnostic);
            }

            Console.Error.WriteLine($"{stackFile.Diagnostics.Count} problem(s) found.");
            return ExitCodes.BadInput;
        }

        Console.Error.WriteLine($"homelab: {e.Message}");
        return e is UsageException ? ExitCodes.BadInput : ExitCodes.Failed;
    }
}
