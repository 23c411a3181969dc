using System.CommandLine;

using HomeLab.Cli.Views;
using HomeLab.Modules;
using HomeLab.Modules.Nixos;
using HomeLab.Workspace;

namespace HomeLab.Cli;

/// <summary>A readable overview: hosts, the resources HomeLab creates on each, and their key settings.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var stack = new Argument<string>("STACK") { Description = "Stack to show" };
        var command = new Command("plan", "Show hosts → resources → key settings for a stack (no Pulumi needed).") { stack };
        command.SetAction(result => Cli.Guard(() => Run(result.GetValue(stack)!)));
        return command;
    }

    private static int Run(string stack)
    {
        var workspace = ProjectDirectory.Find();
        var spec = workspace.Load(stack, Targets.Rules);
        var program = Compiler.Compile(spec, NixosModule.Load(workspace.Root));
        Terminal.Stdout().Write(PlanTree.Render(spec, program, StackSecretConfig.Read(workspace, stack, Environment.GetEnvironmentVariable)));
        foreach (var warning in workspace.Warnings(spec))
        {
            Console.Error.WriteLine(warning);
        }

        return ExitCodes.Ok;
    }
}
