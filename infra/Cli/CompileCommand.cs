using System.CommandLine;

using HomeLab.Conventions;
using HomeLab.Modules;
using HomeLab.Modules.Nixos;
using HomeLab.Program;
using HomeLab.Workspace;

namespace HomeLab.Cli;

/// <summary>
/// Prints the Pulumi program for a stack. This is also the command Pulumi's YAML runtime runs as its compiler:
/// then the stack comes from PULUMI_STACK, and stdout must hold the program and nothing else.
/// </summary>
internal static class CompileCommand
{
    public static Command Create()
    {
        var stack = new Argument<string?>("STACK") { Description = "Stack to compile (default: $PULUMI_STACK, as set by Pulumi)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("compile", "Print the Pulumi YAML program for a stack on stdout (STACK is optional: $PULUMI_STACK, as Pulumi sets it, when none is given).") { stack };
        command.SetAction(result => Cli.Guard(() => Run(result.GetValue(stack))));
        return command;
    }

    private static int Run(string? requested)
    {
        var workspace = ProjectDirectory.Find();
        var stack = requested ?? Environment.GetEnvironmentVariable("PULUMI_STACK");
        string program;
        if (string.IsNullOrEmpty(stack))
        {
            // Pulumi asks for the program once without a stack, only to learn which provider plugins it needs.
            program = ProgramEmitter.Emit(PluginManifest.Program());
        }
        else
        {
            var spec = workspace.Load(stack, Targets.Rules);
            var config = Environment.GetEnvironmentVariable("PULUMI_CONFIG");
            // Run by Pulumi (no STACK argument), the config always counts; an operator's 'homelab compile STACK'
            // checks secrets only when given a config to check against.
            if (requested is null || config is not null)
            {
                CheckSecretsAreSet(spec, stack, config);
            }

            program = ProgramEmitter.Emit(Compiler.Compile(spec, NixosModule.Load(workspace.Root)));
        }

        Console.Out.Write(program);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// A missing secret is named here with the command that sets it. pulumi-yaml passes the stack's config as
    /// PULUMI_CONFIG=json.Marshal(config) (pkg/server/server.go, Run), which is "null" for a stack with no config
    /// yet; null, empty or absent all mean no config.
    /// </summary>
    private static void CheckSecretsAreSet(Spec.StackSpec spec, string stack, string? json)
    {
        var config = StackSecretConfig.FromJson(json, PulumiProject.From(Environment.GetEnvironmentVariable));
        var missing = spec.SecretKeys().Where(key => config.State(key) is not SecretState.Set).ToList();
        if (missing.Count > 0)
        {
            throw new UsageException($"stack '{stack}' needs secret config that is not set: {string.Join(", ", missing)} — run: {SecretCommands.SetMissing(stack)}");
        }
    }
}
