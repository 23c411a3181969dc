using HomeLab.Tools;

namespace HomeLab.Tests.Support;

/// <summary>
/// The one fake tool runner: records the commands HomeLab would run; answers captured ones from a script (the first
/// few may fail, as a command does while what it reads is not there yet), inherited ones with an exit code.
/// </summary>
internal sealed class FakeTools : IToolRunner
{
    private readonly List<(string Prefix, ToolResult Result)> answers = [];
    private ToolResult? earlyFailure;
    private int earlyFailures;

    public HashSet<string> Installed { get; } = ["pulumi", "dotnet", "docker", "ssh"];

    public List<ToolCall> Captured { get; } = [];

    public List<ToolCall> Ran { get; } = [];

    public int RunExitCode { get; set; }

    /// <summary>Answers every captured call whose command line starts with <paramref name="prefix"/>.</summary>
    public FakeTools Answer(string prefix, int exitCode, string output = "", string error = "")
    {
        answers.Insert(0, (prefix, new ToolResult(exitCode, output, error)));
        return this;
    }

    /// <summary>Answers the first <paramref name="calls"/> captured calls with a failure, whatever the script says.</summary>
    public FakeTools FailFirst(int calls, int exitCode, string error)
    {
        (earlyFailures, earlyFailure) = (calls, new ToolResult(exitCode, "", error));
        return this;
    }

    public IEnumerable<string> CapturedLines => Captured.Select(c => c.ToString());

    public string? Find(string program) => Installed.Contains(program) ? "/usr/bin/" + program : null;

    public ToolResult Capture(ToolCall call, TimeSpan timeout)
    {
        Captured.Add(call);
        if (Captured.Count <= earlyFailures)
        {
            return earlyFailure!;
        }

        return answers.FirstOrDefault(a => call.ToString().StartsWith(a.Prefix, StringComparison.Ordinal)).Result ?? new ToolResult(0, "", "");
    }

    public int Run(ToolCall call)
    {
        Ran.Add(call);
        return RunExitCode;
    }
}
