using HomeLab.Conventions;
using HomeLab.Program;

namespace HomeLab.Modules;

/// <summary>
/// The program printed when Pulumi runs the compiler without a stack (it does so to ask which plugins to
/// install). It names one provider of each package at its pinned version and is never deployed.
/// </summary>
internal static class PluginManifest
{
    public static PulumiProgram Program()
    {
        var program = new ProgramBuilder("plugins");
        program.Add("docker-plugin", "pulumi:providers:docker", new MapValue(), new ResourceOptions(Version: Pins.DockerProvider));
        program.Add("command-plugin", "pulumi:providers:command", new MapValue(), new ResourceOptions(Version: Pins.CommandProvider));
        program.Add("kubernetes-plugin", "pulumi:providers:kubernetes", new MapValue(), new ResourceOptions(Version: Pins.KubernetesProvider));
        return program.Build("The provider plugins HomeLab stacks use, at their pinned versions (printed when no stack is selected; not a deployment).", fromStack: false);
    }
}
