using System.CommandLine;

using HomeLab.Deploy;
using HomeLab.Tools;
using HomeLab.Workspace;

namespace HomeLab.Cli;

/// <summary>homelab check STACK: asks each Docker and Kubernetes host of the stack whether it can run what the stack declares.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var stack = new Argument<string>("STACK") { Description = "Stack to check (stacks/STACK.yaml)" };
        var command = new Command("check",
            "Check the stack's hosts before deploying. Docker hosts: CPUs, memory, GPU runtime and devices, free ports and storage paths, read over the same channel " +
            "the deploy uses (local engine or ssh). Kubernetes hosts, over the API with the stack's kubeconfig and context: credentials, namespace and rights, " +
            "storage class, NVIDIA RuntimeClass, allocatable GPUs and memory per node. One line per problem at the setting to change; exit code 2 when a host " +
            "does not fit, 1 when one cannot be reached.")
        {
            stack,
        };
        command.SetAction(result => Cli.Guard(() => Run(SystemToolRunner.Instance, ProjectDirectory.Find(), result.GetValue(stack)!, Console.Error)));
        return command;
    }

    public static int Run(IToolRunner tools, ProjectDirectory workspace, string stack, TextWriter output)
    {
        var spec = workspace.Load(stack, Targets.Rules);
        var report = HostPreflight.Run(spec, File.ReadAllText(workspace.StackPath(stack)), tools, workspace.Root);
        report.WriteTo(output);
        return report.Problems.Count > 0 ? ExitCodes.BadInput : report.Unreachable.Count > 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
