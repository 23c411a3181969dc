using HomeLab.Tools;

namespace HomeLab.Tests.Support;

/// <summary>Runs the built homelab executable as an operator would, in its own process.</summary>
internal static class HomeLabProcess
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "homelab.dll");

    /// <summary>The dotnet host running these tests; started by absolute path so a test may empty PATH.</summary>
    private static readonly string DotnetHost = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet"
        ? host
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    public static ToolResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        SystemToolRunner.Instance.Capture(
            new ToolCall(DotnetHost, [Dll, .. arguments], environment ?? new Dictionary<string, string>(), workingDirectory),
            TimeSpan.FromMinutes(2));

    /// <summary>As <see cref="Run"/>, with <paramref name="input"/> on the process's stdin (not a terminal).</summary>
    public static ToolResult RunWithInput(string workingDirectory, IReadOnlyDictionary<string, string> environment, string input, params string[] arguments) =>
        SystemToolRunner.Instance.Capture(
            new ToolCall(DotnetHost, [Dll, .. arguments], environment, workingDirectory) { StandardInput = input },
            TimeSpan.FromMinutes(2));
}
