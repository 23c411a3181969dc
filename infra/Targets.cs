using HomeLab.Modules.Docker;
using HomeLab.Modules.Kubernetes;
using HomeLab.Modules.Nixos;
using HomeLab.Spec;

namespace HomeLab;

/// <summary>
/// The targets this build knows, composed once above the modules: a new target adds its rules here and nowhere
/// else. The stack loader sees only the <see cref="IHostRules"/> seam.
/// </summary>
internal static class Targets
{
    /// <summary>The rules only one kind of host has, one entry per target.</summary>
    public static IReadOnlyList<IHostRules> Rules { get; } = [new DockerInstanceRules(), new NixosInstanceRules(), new KubernetesInstanceRules()];

    /// <summary>Loads a stack file with every target's rules; throws <see cref="StackFileException"/> with every problem found.</summary>
    public static StackSpec Load(string stackName, string text, string displayPath) =>
        StackLoader.Load(stackName, text, displayPath, Rules);
}
