using System.CommandLine;

using HomeLab.Modules;
using HomeLab.Modules.Proxy;
using HomeLab.Workspace;

namespace HomeLab.Cli;

/// <summary>
/// Prints a bcrypt hash for a proxy basic-auth user. The password is read without echo from the terminal (typed
/// twice), or from standard input when that is not a terminal; never from the command line, where it would stay in
/// the shell history and be visible to every user in the process list.
/// </summary>
internal static class HashPasswordCommand
{
    public static Command Create()
    {
        var command = new Command("hash-password",
            "Print a bcrypt hash for a proxy basic-auth user, reading the password from a prompt without echo or from stdin. " +
            "Store it with: homelab hash-password | pulumi config set --secret HASH_KEY --stack STACK");
        command.SetAction(_ => Cli.Guard(() =>
        {
            var password = Console.IsInputRedirected ? FromStdin() : PasswordPrompt.ReadTwice();
            if (PasswordHasher.Problem(password) is { } problem)
            {
                throw new UsageException(problem);
            }

            Console.Out.WriteLine(PasswordHasher.Hash(password));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>All of stdin less one final line break, as 'echo' or a password manager's pipe would add.</summary>
    private static string FromStdin()
    {
        var text = Console.In.ReadToEnd();
        return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
    }
}
