using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Tools;

namespace HomeLab.Deploy;

/// <summary>
/// Reads a Docker host's facts over the channel the deploy uses: the local docker CLI and shell for a local engine;
/// for an ssh:// engine, ssh with the very options the compiled program gives the Docker provider, running docker and
/// sh on the host (the provider itself runs 'ssh … docker system dial-stdio' there).
/// </summary>
internal sealed class DockerHostProbe(IToolRunner tools, string workingDirectory)
{
    private const string PathsMarker = "@@homelab-paths";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public HostProbe Probe(StackSpec spec, DockerHostSpec host, PulumiProgram program)
    {
        var channel = new Channel(host, SshOptions(program, host), workingDirectory);
        var info = tools.Capture(channel.Docker("info", "--format", "{{json .}}"), Timeout);
        if (!info.Succeeded)
        {
            return new HostProbe(host, null, $"{channel.Describe}: {FirstLine(info)}");
        }

        DockerEngineInfo engine;
        try
        {
            engine = DockerEngineInfo.Parse(info.Output);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new HostProbe(host, null, $"{channel.Describe}: 'docker info' did not answer with its JSON ({e.Message})");
        }

        var containers = tools.Capture(channel.Docker("ps", "--format", "{{.Label \"" + Conventions.ResourceLabels.Stack + "\"}}\t{{.Names}}\t{{.Ports}}"), Timeout);
        var (own, others) = DockerHostFacts.ParsePublished(containers.Succeeded ? containers.Output : "", spec.Name);

        var paths = DockerHostCheck.PathsToProbe(spec, host);
        var script = "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null; echo " + PathsMarker + "; for p in " + string.Join(' ', paths.Select(Quote)) +
            "; do if [ -d \"$p\" ]; then echo \"d $p\"; elif [ -e \"$p\" ]; then echo \"f $p\"; fi; done";
        var shell = tools.Capture(channel.Shell(script), Timeout);
        if (!shell.Succeeded)
        {
            return new HostProbe(host, null, $"{channel.Describe}: the shell check failed ({FirstLine(shell)})");
        }

        var marker = shell.Output.IndexOf(PathsMarker, StringComparison.Ordinal);
        var sockets = DockerHostFacts.ParseProcNetTcp(marker < 0 ? shell.Output : shell.Output[..marker]);
        var found = (marker < 0 ? "" : shell.Output[(marker + PathsMarker.Length)..]).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var directories = found.Where(l => l.StartsWith("d ", StringComparison.Ordinal)).Select(l => l[2..]).ToHashSet(StringComparer.Ordinal);
        var files = found.Where(l => l.StartsWith("f ", StringComparison.Ordinal)).Select(l => l[2..]).ToHashSet(StringComparer.Ordinal);

        return new HostProbe(host, new DockerHostFacts(engine, directories, files, sockets, others, own, NvidiaGpus(spec, host, channel, engine)), null);
    }

    /// <summary>GPU indexes and UUIDs from nvidia-smi when the stack picks devices; null when not needed or not known.</summary>
    private List<string>? NvidiaGpus(StackSpec spec, DockerHostSpec host, Channel channel, DockerEngineInfo engine)
    {
        if (!engine.ServesNvidia || !spec.InstancesOn(host).Any(i => i.Gpu.Vendor is GpuVendor.Nvidia && !i.Gpu.AllDevices))
        {
            return null;
        }

        var listed = tools.Capture(channel.Shell("nvidia-smi --query-gpu=index,uuid --format=csv,noheader"), Timeout);
        return listed.Succeeded
            ? listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).SelectMany(l => l.Split(',', StringSplitOptions.TrimEntries)).Where(s => s.Length > 0).ToList()
            : null;
    }

    /// <summary>The ssh options of the host's docker provider in the compiled program, so both connect alike.</summary>
    private static List<string> SshOptions(PulumiProgram program, DockerHostSpec host) =>
        program.Resources.FirstOrDefault(r => r.Type == "pulumi:providers:docker" && r.Name == $"{host.Name}-docker")?.Properties["sshOpts"] is ListValue options
            ? options.Items.OfType<Text>().Select(t => t.Value).ToList()
            : [];

    private static string FirstLine(ToolResult result) =>
        (result.Error + "\n" + result.Output).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? $"exit code {result.ExitCode}";

    /// <summary>Single-quotes a word for the POSIX shell on the far side of ssh, unless it holds only characters that shell leaves alone.</summary>
    private static string Quote(string word) => word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_./=:,@%+-".Contains(c, StringComparison.Ordinal))
        ? word
        : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private sealed class Channel(DockerHostSpec host, IReadOnlyList<string> sshOptions, string directory)
    {
        public string Describe => host.Ssh is { } ssh
            ? $"host '{host.Name}' cannot be reached over SSH ({ssh.DockerHost})"
            : $"host '{host.Name}': the local Docker engine does not answer";

        public ToolCall Docker(params string[] arguments) => host.Ssh is null
            ? new ToolCall("docker", arguments, NoEnvironment, directory)
            : Ssh(["docker", .. arguments.Select(Quote)]);

        public ToolCall Shell(string script) => host.Ssh is null
            ? new ToolCall("sh", ["-c", script], NoEnvironment, directory)
            : Ssh(["sh", "-c", Quote(script)]);

        private ToolCall Ssh(IEnumerable<string> remote)
        {
            var ssh = host.Ssh!;
            return new ToolCall("ssh", [.. sshOptions, "-p", ssh.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{ssh.User}@{ssh.Host}", .. remote], NoEnvironment, directory);
        }

        private static Dictionary<string, string> NoEnvironment => new(StringComparer.Ordinal);
    }
}
