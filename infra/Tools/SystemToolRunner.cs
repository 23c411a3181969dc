using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace HomeLab.Tools;

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
