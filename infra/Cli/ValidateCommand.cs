using System.CommandLine;

using HomeLab.Modules;
using HomeLab.Modules.Nixos;
using HomeLab.Workspace;

namespace HomeLab.Cli;

internal static class ValidateCommand
{
    public static Command Create()
    {
        var stacks = new Argument<string[]>("STACK") { Description = "Stacks to check (default: every stacks/*.yaml)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("validate", "Check stack files (STACK is optional: every stacks/*.yaml when none is given) and report every problem with file:line:column and a fix, and warnings.") { stacks };
        command.SetAction(result => Cli.Guard(() => Run(result.GetValue(stacks) ?? [])));
        return command;
    }

    private static int Run(string[] requested)
    {
        var workspace = ProjectDirectory.Find();
        var names = requested.Length > 0 ? requested : workspace.StackNames();
        if (names.Count == 0)
        {
            throw new UsageException("no stack files in stacks/ — add one, e.g. stacks/local.yaml");
        }

        var failed = 0;
        foreach (var name in names)
        {
            var code = Cli.Guard(() =>
            {
                var spec = workspace.Load(name, Targets.Rules);
                Compiler.Compile(spec, NixosModule.Load(workspace.Root));
                Console.Error.WriteLine($"stacks/{name}.yaml: ok ({spec.Hosts.Count} host(s), {spec.Instances.Count} instance(s), {spec.Instances.Sum(i => i.Models.Count)} model(s))");
                foreach (var warning in workspace.Warnings(spec))
                {
                    Console.Error.WriteLine(warning);
                }

                return ExitCodes.Ok;
            });
            failed += code == ExitCodes.Ok ? 0 : 1;
        }

        return failed == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
    }
}
