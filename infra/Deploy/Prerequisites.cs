using HomeLab.Spec;
using HomeLab.Tools;

namespace HomeLab.Deploy;

internal static class Prerequisites
{
    public const string PulumiInstall = "install the Pulumi CLI: curl -fsSL https://get.pulumi.com | sh (then open a new shell), or see https://www.pulumi.com/docs/iac/download-install/";

    /// <summary>What deploying <paramref name="spec"/> needs, in the order it is checked. Pure.</summary>
    public static IReadOnlyList<Prerequisite> For(StackSpec spec)
    {
        var needs = new List<Prerequisite>
        {
            new("the Pulumi CLI", "pulumi", null, PulumiInstall),
            new("the .NET SDK (the launcher Pulumi runs builds and starts the HomeLab compiler with it)", "dotnet", null,
                "install the .NET 10 SDK: https://dotnet.microsoft.com/download (Debian/Ubuntu: apt-get install dotnet-sdk-10.0)"),
        };

        var used = spec.UsedHosts().ToList();
        foreach (var host in used.OfType<DockerHostSpec>())
        {
            if (host.Ssh is { } ssh)
            {
                var target = $"{ssh.User}@{ssh.Host}";
                needs.Add(new($"SSH to reach the Docker engine of host '{host.Name}'", "ssh", null, "install the OpenSSH client (Debian/Ubuntu: apt-get install openssh-client)"));
                needs.Add(new($"the Docker engine of host '{host.Name}' ({ssh.DockerHost})", "ssh",
                    [.. Conventions.SshOptions.WithPort(ssh.Port), target, "docker", "version"],
                    $"check that 'ssh -p {ssh.Port} {target} docker version' works without a prompt: load your key (ssh-add), accept the host key once (ssh {target}), and let {ssh.User} use docker on {ssh.Host} (usermod -aG docker {ssh.User})"));
            }
            else
            {
                needs.Add(new($"the Docker CLI for host '{host.Name}'", "docker", null, "install Docker Engine: https://docs.docker.com/engine/install/ (Debian/Ubuntu: apt-get install docker.io)"));
                needs.Add(new($"the local Docker engine for host '{host.Name}'", "docker", ["version"],
                    "start the Docker daemon (sudo systemctl start docker) and let your user use it (sudo usermod -aG docker $USER, then log in again)"));
            }
        }

        if (used.OfType<NixosHostSpec>().Any())
        {
            needs.Add(new($"SSH to reach NixOS host(s) {string.Join(", ", used.OfType<NixosHostSpec>().Select(h => $"'{h.Name}'"))}", "ssh", null,
                "install the OpenSSH client (Debian/Ubuntu: apt-get install openssh-client)"));
        }

        return needs.DistinctBy(n => (n.Program, Probe: n.Probe is null ? "" : string.Join(' ', n.Probe))).ToList();
    }

    /// <summary>Checks each prerequisite; returns one line per problem ("what: why — fix"), empty when all are met.</summary>
    public static IReadOnlyList<string> Missing(IReadOnlyList<Prerequisite> needs, IToolRunner tools, string workingDirectory)
    {
        var problems = new List<string>();
        var absent = new HashSet<string>(StringComparer.Ordinal);
        foreach (var need in needs)
        {
            if (absent.Contains(need.Program))
            {
                continue;
            }

            if (tools.Find(need.Program) is null)
            {
                absent.Add(need.Program);
                problems.Add($"{need.What}: '{need.Program}' is not on PATH — {need.Fix}");
                continue;
            }

            if (need.Probe is { } probe)
            {
                var result = tools.Capture(new ToolCall(need.Program, probe, new Dictionary<string, string>(StringComparer.Ordinal), workingDirectory), TimeSpan.FromSeconds(30));
                if (!result.Succeeded)
                {
                    var said = (result.Error + "\n" + result.Output).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? $"exit code {result.ExitCode}";
                    problems.Add($"{need.What}: '{need.Program} {string.Join(' ', probe)}' failed ({said}) — {need.Fix}");
                }
            }
        }

        return problems;
    }
}
