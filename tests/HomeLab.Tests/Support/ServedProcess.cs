using System.Diagnostics;
using System.Text;

namespace HomeLab.Tests.Support;

/// <summary>A long-running process started by <see cref="ProcessRunner.Serve"/>: its output collected, stopped with its children on dispose.</summary>
public sealed class ServedProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TimeSpan stopTimeout;

    private ServedProcess(Process process, TimeSpan stopTimeout)
    {
        this.process = process;
        this.stopTimeout = stopTimeout;
    }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public Task WaitForExitAsync(CancellationToken cancellation) => process.WaitForExitAsync(cancellation);

    internal static ServedProcess Start(ProcessStartInfo info, TimeSpan stopTimeout)
    {
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var served = new ServedProcess(process, stopTimeout);
        process.OutputDataReceived += (_, e) => served.Append(e.Data);
        process.ErrorDataReceived += (_, e) => served.Append(e.Data);
        if (!process.Start())
        {
            process.Dispose();
            throw new InvalidOperationException($"could not start {info.FileName}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return served;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var stop = new CancellationTokenSource(stopTimeout);
            await process.WaitForExitAsync(stop.Token);
        }
        catch (InvalidOperationException)
        {
            // Already reaped: nothing to stop.
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{process.StartInfo.FileName} did not stop within {stopTimeout.TotalSeconds:0} s of being killed");
        }
        finally
        {
            process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Append(line).Append('\n');
        }
    }
}
