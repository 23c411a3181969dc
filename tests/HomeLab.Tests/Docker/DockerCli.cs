using HomeLab.Tests.Support;

namespace HomeLab.Tests.Docker;

/// <summary>The real docker CLI against the local engine: each call must succeed, or the test fails with what Docker said.</summary>
internal static class DockerCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Why the real-Docker tests cannot run here (no docker CLI, or no engine answering), or null.</summary>
    public static string? Unavailable()
    {
        if (ExternalTool.Find("docker") is null)
        {
            return "'docker' is not on PATH";
        }

        var info = Try("info", "--format", "{{.ServerVersion}}");
        return info.ExitCode == 0 ? null : $"no Docker engine answers ({info.Stderr.Trim().Split('\n')[0]})";
    }

    public static string Run(params string[] arguments)
    {
        var result = Try(arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker {string.Join(' ', arguments)} failed with exit code {result.ExitCode}: {result.Stderr.Trim()}");
        }

        return result.Stdout.Trim();
    }

    public static ProcessResult Try(params string[] arguments) => ProcessRunner.Run("docker", arguments, Path.GetTempPath(), timeout: Timeout);
}
