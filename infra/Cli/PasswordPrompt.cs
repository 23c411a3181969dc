using System.Text;

using HomeLab.Workspace;

namespace HomeLab.Cli;

/// <summary>Passwords typed on the terminal without echo, twice so a typo cannot lock the operator out.</summary>
internal static class PasswordPrompt
{
    /// <param name="label">What the password is for, shown in the prompt (e.g. "Password for alice").</param>
    public static string ReadTwice(string label = "Password")
    {
        var first = ReadHidden($"{label}: ");
        var second = ReadHidden($"Repeat {char.ToLowerInvariant(label[0])}{label[1..]}: ");
        return first == second ? first : throw new UsageException("the two passwords differ; nothing was hashed");
    }

    private static string ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return typed.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (key.KeyChar != '\0')
            {
                typed.Append(key.KeyChar);
            }
        }
    }
}
