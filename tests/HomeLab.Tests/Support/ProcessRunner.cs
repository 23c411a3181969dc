using System.Diagnostics;

namespace HomeLab.Tests.Support;

/// <summary>Runs a program to completion with a time limit, capturing both streams: the one way tests run a process.</summary>
public static class ProcessRunner
{
    /// <summary>The dotnet host running these tests; started by absolute path so a test may empty PATH.</summary>
    private static readonly string DotnetHost = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet"
        ? host
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null, string? input = null)
    {
        arguments = arguments.ToList();
        var info = StartInfo(fileName, arguments, workingDirectory, environment);
        info.RedirectStandardInput = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Write(input ?? "");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in time");
        }

        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// A server that runs until the test is done with it (an <c>ollama serve</c>): its output kept for the failure
    /// message, killed with its children on dispose and waited for within <paramref name="stopTimeout"/>.
    /// </summary>
    public static ServedProcess Serve(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? stopTimeout = null) =>
        ServedProcess.Start(StartInfo(fileName, arguments, workingDirectory, environment), stopTimeout ?? TimeSpan.FromSeconds(30));

    /// <summary>How every test process starts: no shell, both output streams captured, the arguments as given, and of the environment the changes given (null unsets).</summary>
    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        return info;
    }

    /// <summary>The homelab executable built next to the tests, run the way an operator runs it.</summary>
    /// <remarks>PULUMI_ROOT_DIRECTORY is cleared unless given, so the working directory decides the project.</remarks>
    public static ProcessResult Homelab(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        HomelabWithInput(workingDirectory, environment, input: null, arguments);

    /// <summary>As <see cref="Homelab"/>, with <paramref name="input"/> on its stdin (not a terminal), e.g. a password.</summary>
    public static ProcessResult HomelabWithInput(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, string? input, params string[] arguments)
    {
        var env = new Dictionary<string, string?> { ["PULUMI_ROOT_DIRECTORY"] = null };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        return Run(DotnetHost, [Path.Combine(AppContext.BaseDirectory, "homelab.dll"), .. arguments], workingDirectory, env, input: input);
    }
}
