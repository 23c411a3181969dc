using System.Globalization;

using HomeLab.Program;

namespace HomeLab.Tests.Docker;

/// <summary>
/// A test harness, not a deploy engine: creates the docker:Network, docker:Volume and docker:Container resources of
/// a compiled program on the local engine with the docker CLI, property by property as the program declares them,
/// and removes them again. A container property it does not know fails the test, so the harness cannot silently
/// drop what a module adds. Images come from <paramref name="imageFor"/> (no registry here): RemoteImage resource
/// name → local tag.
/// </summary>
internal sealed class DeclaredResources(PulumiProgram program, IReadOnlyDictionary<string, string> imageFor, IReadOnlyDictionary<string, string> secrets) : IDisposable
{
    private readonly List<string> containers = [];
    private readonly List<string> networks = [];
    private readonly List<string> volumes = [];

    private IEnumerable<Resource> OfType(string type) => program.Resources.Where(r => r.Type == type);

    public void CreateNetworksAndVolumes()
    {
        foreach (var network in OfType("docker:Network"))
        {
            var name = Text(network, "name");
            List<string> arguments = ["network", "create", "--driver", Text(network, "driver")];
            foreach (var (key, value) in network.Properties.Entries.Where(e => e.Key is not ("name" or "driver" or "labels")))
            {
                arguments.AddRange(key == "internal" && value is Flag { Value: true } ? ["--internal"] : throw Unknown(network, key));
            }

            DockerCli.Run([.. arguments, .. Labels(network), name]);
            networks.Add(name);
        }

        foreach (var volume in OfType("docker:Volume"))
        {
            var name = Text(volume, "name");
            DockerCli.Run(["volume", "create", .. Labels(volume), name]);
            volumes.Add(name);
        }
    }

    /// <summary>
    /// Creates and starts one container, uploads first as the provider does; then waits for its healthcheck when the
    /// program says 'wait', or for it to exit when it says 'attach' (resourceDockerContainerCreate: ContainerWait until
    /// not running; the provider records the exit code and does not judge it).
    /// </summary>
    public string StartContainer(string resourceName)
    {
        var container = program.Resources.Single(r => r.Name == resourceName);
        var name = Text(container, "name");
        var create = new List<string> { "create", "--name", name };
        var attach = new List<(string Network, string? Alias)>();
        var uploads = new List<(string File, string Content)>();
        var waitTimeout = (TimeSpan?)null;
        var command = new List<string>();
        foreach (var (key, value) in container.Properties.Entries)
        {
            switch (key)
            {
                case "name" or "image" or "labels":
                    break;
                case "restart":
                    create.AddRange(["--restart", ((Text)value).Value]);
                    break;
                case "envs":
                    create.AddRange(((ListValue)value).Items.SelectMany(e => new[] { "--env", Resolve(e) }));
                    break;
                case "networksAdvanced":
                    attach.AddRange(((ListValue)value).Items.Cast<MapValue>().Select(n => (Resolve(n["name"]!), n["aliases"] is ListValue { Items: [var alias] } ? Resolve(alias) : (string?)null)));
                    break;
                case "volumes":
                    create.AddRange(((ListValue)value).Items.Cast<MapValue>().SelectMany(v => new[] { "--volume", $"{Resolve(v["volumeName"] ?? v["hostPath"]!)}:{Resolve(v["containerPath"]!)}" }));
                    break;
                case "ports":
                    create.AddRange(((ListValue)value).Items.Cast<MapValue>().SelectMany(p => new[] { "--publish", $"{Resolve(p["ip"]!)}:{Resolve(p["external"]!)}:{Resolve(p["internal"]!)}/{Resolve(p["protocol"]!)}" }));
                    break;
                case "memory" or "memorySwap" or "shmSize":
                    // The provider's unit for these is MB (terraform-provider-docker resource_docker_container.go: memory * 1024 * 1024).
                    create.AddRange([key switch { "memory" => "--memory", "memorySwap" => "--memory-swap", _ => "--shm-size" }, Resolve(value) + "m"]);
                    break;
                case "cpus":
                    create.AddRange(["--cpus", Resolve(value)]);
                    break;
                case "healthcheck":
                    create.AddRange(Healthcheck((MapValue)value));
                    break;
                case "wait" or "attach" or "mustRun":
                    break;
                case "user":
                    create.AddRange(["--user", Resolve(value)]);
                    break;
                case "command":
                    command.AddRange(((ListValue)value).Items.Select(Resolve));
                    break;
                case "networkMode":
                    create.AddRange(["--network", Resolve(value)]);
                    break;
                case "readOnly" when value is Flag { Value: true }:
                    create.Add("--read-only");
                    break;
                case "tmpfs":
                    create.AddRange(((MapValue)value).Entries.SelectMany(t => new[] { "--tmpfs", $"{t.Key}:{Resolve(t.Value)}" }));
                    break;
                case "capabilities":
                    var capabilities = (MapValue)value;
                    create.AddRange(((ListValue?)capabilities["drops"])?.Items.SelectMany(c => new[] { "--cap-drop", Resolve(c) }) ?? []);
                    create.AddRange(((ListValue?)capabilities["adds"])?.Items.SelectMany(c => new[] { "--cap-add", Resolve(c) }) ?? []);
                    break;
                case "waitTimeout":
                    waitTimeout = TimeSpan.FromSeconds(((Number)value).Value);
                    break;
                case "logDriver":
                    create.AddRange(["--log-driver", Resolve(value)]);
                    break;
                case "logOpts":
                    create.AddRange(((MapValue)value).Entries.SelectMany(o => new[] { "--log-opt", $"{o.Key}={Resolve(o.Value)}" }));
                    break;
                case "securityOpts":
                    create.AddRange(((ListValue)value).Items.SelectMany(o => new[] { "--security-opt", Resolve(o) }));
                    break;
                case "uploads":
                    uploads.AddRange(((ListValue)value).Items.Cast<MapValue>().Select(u => (Resolve(u["file"]!), Resolve(u["content"]!))));
                    break;
                default:
                    throw Unknown(container, key);
            }
        }

        if (attach.Count > 0)
        {
            var (first, firstAlias) = attach[0];
            create.AddRange(["--network", first, .. firstAlias is null ? Array.Empty<string>() : ["--network-alias", firstAlias]]);
        }

        create.AddRange(Labels(container));
        create.Add(imageFor[((Ref)container.Properties["image"]!).Name]);
        DockerCli.Run([.. create, .. command]);
        containers.Add(name);
        foreach (var (network, alias) in attach.Skip(1))
        {
            DockerCli.Run(["network", "connect", .. alias is null ? Array.Empty<string>() : ["--alias", alias], network, name]);
        }

        foreach (var (file, content) in uploads)
        {
            var local = Path.Combine(Directory.CreateTempSubdirectory("homelab-upload-").FullName, Path.GetFileName(file));
            File.WriteAllText(local, content);
            DockerCli.Run("cp", local, $"{name}:{file}");
            Directory.Delete(Path.GetDirectoryName(local)!, recursive: true);
        }

        if (container.Properties["attach"] is Flag { Value: true })
        {
            // 'docker start --attach' returns when the container has stopped, with its exit code; the provider ignores it.
            DockerCli.Try("start", "--attach", name);
            return name;
        }

        DockerCli.Run("start", name);
        if (container.Properties["wait"] is Flag { Value: true })
        {
            WaitHealthy(name, waitTimeout ?? TimeSpan.FromMinutes(1));
        }

        return name;
    }

    public void Dispose()
    {
        foreach (var container in Enumerable.Reverse(containers))
        {
            DockerCli.Try("rm", "--force", "--volumes", container);
        }

        foreach (var network in Enumerable.Reverse(networks))
        {
            DockerCli.Try("network", "rm", network);
        }

        foreach (var volume in volumes)
        {
            DockerCli.Try("volume", "rm", "--force", volume);
        }
    }

    /// <summary>
    /// The docker CLI sets a healthcheck only in its shell form (CMD-SHELL); the program's exec form
    /// ["CMD", "ollama", "list"] becomes "ollama list" run by the image's /bin/sh, a shell form is taken as it is.
    /// </summary>
    private IEnumerable<string> Healthcheck(MapValue check)
    {
        var test = ((ListValue)check["tests"]!).Items.Select(Resolve).ToList();
        test[0].Should().BeOneOf("CMD", "CMD-SHELL");
        if (test[0] == "CMD-SHELL")
        {
            test.Should().HaveCount(2, "a shell form is one command line");
        }

        return ["--health-cmd", string.Join(' ', test.Skip(1)),
            "--health-interval", Resolve(check["interval"]!), "--health-timeout", Resolve(check["timeout"]!),
            "--health-start-period", Resolve(check["startPeriod"]!), "--health-retries", Resolve(check["retries"]!)];
    }

    /// <summary>
    /// Waits as the provider's 'wait' does (terraform-provider-docker resource_docker_container_funcs.go: polls the
    /// container's health until "healthy", failing on "unhealthy" or after waitTimeout).
    /// </summary>
    private static void WaitHealthy(string name, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = DockerCli.Run("inspect", "--format", "{{.State.Health.Status}}", name);
            if (status == "healthy")
            {
                return;
            }

            if (status == "unhealthy" || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"container {name} is '{status}' (waited up to {timeout.TotalSeconds:0} s): {DockerCli.Run("inspect", "--format", "{{json .State}}", name)}; its log: {DockerCli.Try("logs", "--tail", "20", name).Stderr}");
            }

            Thread.Sleep(500);
        }
    }

    private IEnumerable<string> Labels(Resource resource) =>
        resource.Properties["labels"] is ListValue labels
            ? labels.Items.Cast<MapValue>().SelectMany(l => new[] { "--label", $"{Resolve(l["label"]!)}={Resolve(l["value"]!)}" })
            : [];

    private static string Text(Resource resource, string key) => ((Text)resource.Properties[key]!).Value;

    /// <summary>A literal, a secret config reference (from <c>secrets</c>), or another resource's name output.</summary>
    private string Resolve(Value value) => value switch
    {
        Text text => text.Value,
        Number number => number.Value.ToString(CultureInfo.InvariantCulture),
        Flag flag => flag.Value ? "true" : "false",
        Interpolation interpolation => string.Concat(interpolation.Parts.Select(p => p is Value v ? Resolve(v) : p.ToString())),
        Invoke { Function: "fn::secret", Argument: var argument } => Resolve(argument),
        Ref { Property: null } config => secrets[config.Name],
        Ref { Property: "name" } output => Text(program.Resources.Single(r => r.Name == output.Name), "name"),
        _ => throw new NotSupportedException($"the harness cannot resolve {value}"),
    };

    private static NotSupportedException Unknown(Resource resource, string key) =>
        new($"{resource.Name}: the real-Docker harness does not apply property '{key}' yet; teach DeclaredResources how docker applies it");
}
