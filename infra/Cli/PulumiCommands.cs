using System.Collections;
using System.CommandLine;

using HomeLab.Deploy;
using HomeLab.Tools;
using HomeLab.Workspace;

namespace HomeLab.Cli;

/// <summary>homelab up / preview / destroy: Pulumi with a local default backend and prerequisites checked first.</summary>
internal static class PulumiCommands
{
    public static IEnumerable<Command> Create() =>
    [
        Create(PulumiVerb.Up, "Deploy a stack (pulumi up)."),
        Create(PulumiVerb.Preview, "Show what deploying a stack would change (pulumi preview)."),
        Create(PulumiVerb.Destroy, "Remove everything a stack deployed (pulumi destroy)."),
    ];

    private static Command Create(PulumiVerb verb, string summary)
    {
        var stack = new Argument<string>("STACK") { Description = "Stack to work on (stacks/STACK.yaml)" };
        var extra = new Argument<string[]>("PULUMI_ARGS") { Description = "Further arguments for pulumi, after --", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command(PulumiVerbWords.Of(verb),
            summary + " Checks the Pulumi CLI, the .NET SDK, Docker and SSH first" +
            (verb is PulumiVerb.Destroy ? ". " : ", then that each Docker host fits the stack (as homelab check does). ") +
            "Without PULUMI_BACKEND_URL, PULUMI_ACCESS_TOKEN or a pulumi login, " +
            $"the state lives in {PulumiBackend.StateFolder}/ in the repository (ignored by git)" +
            (verb is PulumiVerb.Destroy ? "; set PULUMI_CONFIG_PASSPHRASE for it. " : " and the stack is created on first use; set PULUMI_CONFIG_PASSPHRASE for it. ") +
            "Pulumi's output and exit code pass through; exit code 2 when a prerequisite or setting is missing.")
        {
            stack,
        };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (for scripts and CI)" };
        if (verb is not PulumiVerb.Preview)
        {
            command.Options.Add(yes);
        }

        command.Arguments.Add(extra);
        command.SetAction(result => Cli.Guard(() =>
            new PulumiSession(SystemToolRunner.Instance, CurrentEnvironment(), Console.Error).Run(
                ProjectDirectory.Find(),
                new PulumiRequest(verb, result.GetValue(stack)!, verb is not PulumiVerb.Preview && result.GetValue(yes), result.GetValue(extra) ?? []))));
        return command;
    }

    public static Dictionary<string, string?> CurrentEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
}
