using HomeLab.Hooks;
using HomeLab.Tools;
using HomeLab.Workspace;

namespace HomeLab.Cli;

/// <summary>Where <c>homelab status</c> runs: the project, the environment and streams, the tools, and how it waits and dials.</summary>
/// <param name="Terminal">Whether stdout is a terminal: colour, and with --watch the screen is redrawn.</param>
/// <param name="Tools">Runs the command that reads the proxy's internal CA (docker or ssh).</param>
/// <param name="Connect">Dials instead of resolving the URL's host (see <see cref="Ollama.OllamaHttp.CreateHandler"/>); null in the real command.</param>
/// <param name="Rounds">With --watch, stop after this many looks (tests); null until cancelled.</param>
internal sealed record StatusContext(
    ProjectDirectory Workspace,
    Func<string, string?> Environment,
    TextWriter Stdout,
    TextWriter Stderr,
    bool Terminal,
    HookOptions Options,
    IToolRunner Tools,
    Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? Connect,
    TimeProvider Clock,
    int? Rounds);
