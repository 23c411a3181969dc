namespace HomeLab.Conventions;

/// <summary>
/// How Pulumi starts HomeLab: the POSIX script that reuses an up-to-date Release build (building it only when
/// sources changed, with all build output on stderr) and then runs the built program. Pulumi.yaml's compiler
/// line and the post-deploy hook commands both go through it, so neither pays for 'dotnet run' on every call.
/// </summary>
internal static class Launcher
{
    /// <summary>Relative to the project root, where Pulumi runs the compiler and local commands.</summary>
    public const string Script = "infra/Launch/homelab.sh";

    /// <summary>The command line that runs <c>homelab ARGUMENTS</c>; the arguments must need no shell quoting.</summary>
    public static string CommandLine(params string[] arguments) => $"sh {Script} {string.Join(' ', arguments)}";
}
