namespace HomeLab.Conventions;

/// <summary>
/// How Pulumi starts HomeLab: the POSIX script that reuses an up-to-date Release build (building it only when
/// sources changed, with all build output on stderr) and then runs the built program. Pulumi.yaml's compiler
/// line and the post-deploy hook commands both go through it, so neither pays for 'dotnet run' on every call, and
/// both start the same build: the native binary where clang is installed, the ReadyToRun build elsewhere.
/// </summary>
internal static class Launcher
{
    /// <summary>Relative to the project root, where Pulumi runs the compiler and local commands.</summary>
    public const string Script = "infra/Launch/homelab.sh";

    /// <summary>Picks the launcher's build, <see cref="NativeBuild"/> or <see cref="ReadyToRunBuild"/>, instead of its choice by whether clang is installed.</summary>
    public const string BuildVariable = "HOMELAB_BUILD";

    /// <summary>The NativeAOT single-file binary, in bin/launch-native/homelab.</summary>
    public const string NativeBuild = "native";

    /// <summary>The managed build precompiled for this machine, in bin/launch/homelab.dll, started with dotnet.</summary>
    public const string ReadyToRunBuild = "readytorun";

    /// <summary>The command line that runs <c>homelab ARGUMENTS</c>; the arguments must need no shell quoting.</summary>
    public static string CommandLine(params string[] arguments) => $"sh {Script} {string.Join(' ', arguments)}";
}
