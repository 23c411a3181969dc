using HomeLab.Deploy.Kubernetes;
using HomeLab.Spec;
using HomeLab.Tools;

namespace HomeLab.Deploy;

/// <summary>
/// Host preflight: before Pulumi creates anything, every Docker host the stack uses is asked (docker info, its
/// listening ports, its device nodes and storage paths) whether it can run what the stack declares; every Kubernetes
/// host is asked over the Kubernetes API (<see cref="KubernetesPreflight"/>). NixOS hosts are left to the rebuild's
/// own preflight step, which runs on the host during the deploy.
/// </summary>
internal static class HostPreflight
{
    public static PreflightReport Run(StackSpec spec, string stackText, IToolRunner tools, string workingDirectory)
    {
        var positions = SettingPositions.Of(stackText, spec.File);
        var program = Compiler.Compile(spec);
        var probe = new DockerHostProbe(tools, workingDirectory);
        var problems = new List<Diagnostic>();
        var unreachable = new List<string>();
        var fit = new List<string>();
        var warnings = new List<Diagnostic>(ExposureWarnings.For(spec, positions));
        var dockerHosts = spec.UsedHosts().OfType<DockerHostSpec>().ToList();
        var nixosHosts = spec.Hosts.OfType<NixosHostSpec>().Select(h => $"'{h.Name}'").ToList();
        if (dockerHosts.Count == 0 && nixosHosts.Count > 0)
        {
            fit.Add($"no Docker host to check: the stack file is valid, and NixOS host(s) {string.Join(", ", nixosHosts)} " +
                "are checked by their own preflight step on the host during the deploy (NixOS version, sudo, the import line)");
        }

        foreach (var host in dockerHosts)
        {
            var result = probe.Probe(spec, host, program);
            if (result.Facts is not { } facts)
            {
                unreachable.Add($"{spec.File}:{host.At}: {result.Unreachable} — {Fix(host)}");
                continue;
            }

            var found = DockerHostCheck.Compare(spec, host, facts, positions);
            problems.AddRange(found);
            warnings.AddRange(DockerHostCheck.Warnings(spec, host, facts, positions));
            if (found.Count == 0)
            {
                fit.Add($"host '{host.Name}': ok (Docker {facts.Engine.Version}, {facts.Engine.Cpus} CPU(s), {facts.Engine.MemoryBytes / (double)(1L << 30):0.#} GiB)");
            }
        }

        var docker = new PreflightReport(problems, unreachable, fit, warnings);
        var clusters = KubernetesTargets.Of(spec, positions, workingDirectory).Select(t => KubernetesPreflight.Run(t, KubernetesProbeOptions.Default));
        return PreflightReport.Combine([docker, .. clusters]);
    }

    private static string Fix(DockerHostSpec host) => host.Ssh is { } ssh
        ? $"check that 'ssh -p {ssh.Port} {ssh.User}@{ssh.Host} docker info' works without a prompt: load your key (ssh-add), accept the host key once, and let {ssh.User} use docker there (usermod -aG docker {ssh.User})"
        : "start the Docker daemon (sudo systemctl start docker) and let your user use it (sudo usermod -aG docker $USER, then log in again)";
}
