using System.CommandLine;

using HomeLab.Spec;
using HomeLab.Spec.Shape;
using HomeLab.Workspace;

namespace HomeLab.Cli;

/// <summary>Prints the JSON Schema of stack files; stacks/homelab.schema.json is this output, checked in.</summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var command = new Command("schema", $"Print the JSON Schema of stack files (checked in as stacks/{StackSchema.FileName}; regenerate with: homelab schema > stacks/{StackSchema.FileName}).");
        command.SetAction(_ =>
        {
            Console.Out.Write(StackSchema.Generate());
            return ExitCodes.Ok;
        });
        return command;
    }
}
