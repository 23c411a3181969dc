using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace HomeLab.Tools;

/// <summary>An external command: the program, its arguments, extra environment variables and where it runs.</summary>
internal sealed record ToolCall(string Program, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string WorkingDirectory)
{
    public ToolCall(string program, string workingDirectory, params string[] arguments)
        : this(program, arguments, new Dictionary<string, string>(StringComparer.Ordinal), workingDirectory)
    {
    }

    /// <summary>Written to the program's stdin (then closed) by Capture; how secrets reach a child, never in its arguments.</summary>
    public string? StandardInput { get; init; }

    /// <summary>The command line only: standard input is left out, as it may be a secret.</summary>
    public override string ToString() => string.Join(' ', new[] { Program }.Concat(Arguments));
}

internal sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>The program is not installed (not on PATH).</summary>
internal sealed class ToolMissingException(string program) : Exception($"'{program}' is not on PATH")
{
    public string Program { get; } = program;
}

/// <summary>Runs external programs. The one seam between HomeLab's decisions and the machine, so tests can record calls instead.</summary>
internal interface IToolRunner
{
    /// <summary>The full path of <paramref name="program"/> on PATH, or null when it is not installed.</summary>
    string? Find(string program);

    /// <summary>Runs to completion (or until <paramref name="timeout"/>) with output captured; stdin gets the call's StandardInput, then is closed.</summary>
    ToolResult Capture(ToolCall call, TimeSpan timeout);

    /// <summary>Runs with this process's terminal (stdin, stdout, stderr inherited) and returns its exit code.</summary>
    int Run(ToolCall call);
}

internal sealed class SystemToolRunner : IToolRunner
{
    public static readonly SystemToolRunner Instance = new();

    public string? Find(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }

        return null;
    }

    public ToolResult Capture(ToolCall call, TimeSpan timeout)
    {
        var start = StartInfo(call);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.StandardOutputEncoding = Encoding.UTF8;
        start.StandardErrorEncoding = Encoding.UTF8;

        // No byte-order mark: the child would read it as the first characters of a secret.
        start.StandardInputEncoding = new UTF8Encoding(false);
        using var process = Start(start, call);
        try
        {
            process.StandardInput.Write(call.StandardInput ?? "");
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited without reading its input; its exit code and output say why.
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new ToolResult(-1, output.Result, $"{call.Program} did not finish within {timeout.TotalSeconds:0} s");
        }

        return new ToolResult(process.ExitCode, output.Result, error.Result);
    }

    public int Run(ToolCall call)
    {
        using var process = Start(StartInfo(call), call);

        // Ctrl+C reaches the child too; let it stop cleanly (Pulumi cancels the update) and report its own exit code.
        ConsoleCancelEventHandler keepRunning = (_, e) => e.Cancel = true;
        Console.CancelKeyPress += keepRunning;
        try
        {
            process.WaitForExit();
            return process.ExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= keepRunning;
        }
    }

    private static ProcessStartInfo StartInfo(ToolCall call)
    {
        var start = new ProcessStartInfo(call.Program) { UseShellExecute = false, WorkingDirectory = call.WorkingDirectory };
        foreach (var argument in call.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in call.Environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private static Process Start(ProcessStartInfo start, ToolCall call)
    {
        try
        {
            return Process.Start(start) ?? throw new ToolMissingException(call.Program);
        }
        catch (Win32Exception)
        {
            throw new ToolMissingException(call.Program);
        }
    }
}
