using System.CommandLine;
using System.Text;
using System.Text.Json;

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
        var project = Environment.GetEnvironmentVariable("PULUMI_PROJECT") is { Length: > 0 } p ? p : "homelab";
        var keys = ConfigKeys(json);
        var missing = spec.SecretKeys().Where(key => !keys.Contains($"{project}:{key}")).ToList();
        if (missing.Count > 0)
        {
            throw new UsageException($"stack '{stack}' needs secret config that is not set: {string.Join(", ", missing)} — run: homelab secrets {stack} --set-missing");
        }
    }

    /// <summary>
    /// The top-level keys of PULUMI_CONFIG, read with a forward-only reader: a JsonDocument cost each compiler hook
    /// run about 25 ms, the reader about 3 (README, Benchmarks).
    /// </summary>
    private static HashSet<string> ConfigKeys(string? json)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return keys;
        }

        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            reader.Read();
            if (reader.TokenType is JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType is JsonTokenType.PropertyName)
                {
                    keys.Add(reader.GetString()!);
                    reader.Read();
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }

            // Reading past the one value refuses anything after it, as parsing the whole document would.
            reader.Read();
            return keys;
        }
        catch (JsonException e)
        {
            throw new UsageException($"PULUMI_CONFIG is not JSON ({e.Message}) — it is set by Pulumi; unset it when running homelab compile yourself");
        }
    }
}
