namespace HomeLab.Tools;

/// <summary>Runs external programs. The one seam between HomeLab's decisions and the machine, so tests can record calls instead.</summary>
internal interface IToolRunner
{
    /// <summary>The full path of <paramref name="program"/> on PATH, or null when it is not installed.</summary>
    string? Find(string program);

    /// <summary>Runs to completion (or until <paramref name=\"timeout\"/>) with output captured; stdin gets the call's StandardInput, then is closed.</summary>
    ToolResult Capture(ToolCall call, TimeSpan timeout);

    /// <summary>Runs with this process's terminal (stdin, stdout, stderr inherited) and returns its exit code.</summary>
    int Run(ToolCall call);
}
