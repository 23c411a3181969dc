using static HomeLab.Tests.ReadBack.Tree;

namespace HomeLab.Tests.ReadBack;

/// <summary>
/// docker:Container (pulumi-docker 5.1.0 → terraform-provider-docker v4.5.0, internal/provider): what the plan holds
/// for a property the program sets, and what <c>resourceDockerContainerCreate</c> followed by
/// <c>resourceDockerContainerRead</c> (resource_docker_container_funcs.go) leaves in the state. Docker itself is
/// assumed to store what it is given (a daemon with no default log options or SELinux labels).
/// </summary>
internal static class DockerContainerReadBack
{
    /// <summary>Fields inside container properties that the schema types as sets (compared unordered).</summary>
    public static readonly IReadOnlySet<string> NestedSets = new HashSet<string>(StringComparer.Ordinal) { "aliases", "deviceIds", "capabilities" };

    /// <summary>Top-level properties typed TypeSet in resource_docker_container.go.</summary>
    public static readonly IReadOnlySet<string> Sets = new HashSet<string>(StringComparer.Ordinal)
    {
        "envs", "labels", "securityOpts", "volumes", "networksAdvanced", "devices", "deviceRequests", "uploads",
    };

    /// <summary>The planned value: the program's value with the nested schema defaults filled in.</summary>
    public static object Plan(string property, object value) => property switch
    {
        // ports.ip Default "0.0.0.0" (StateFunc maps "" to it too), ports.protocol Default "tcp".
        "ports" => List(value).Select(p => (object)WithDefaults(p, ("ip", "0.0.0.0"), ("protocol", "tcp"))).ToList(),
        // devices.permissions Default "rwm".
        "devices" => List(value).Select(d => (object)WithDefaults(d, ("permissions", "rwm"))).ToList(),
        // device_requests.driver Default "cdi", count Default 0.
        "deviceRequests" => List(value).Select(d => (object)WithDefaults(d, ("driver", "cdi"), ("count", "0"))).ToList(),
        // healthcheck.interval/timeout/start_period/start_interval Default "0s", retries Default 0.
        "healthcheck" => WithDefaults(value, ("interval", "0s"), ("timeout", "0s"), ("startPeriod", "0s"), ("startInterval", "0s"), ("retries", "0")),
        _ => value,
    };

    /// <summary>The stored value after create and refresh, for a planned value.</summary>
    public static object ReadBack(string property, object planned) => property switch
    {
        // Read: name = strings.TrimLeft(container.Name, "/"); image = container.Image when the plan holds a
        // "sha256:" id (RemoteImage.imageId is one), else Config.Image; restart = RestartPolicy.Name; log_driver =
        // LogConfig.Type. Docker keeps each as created.
        "name" or "image" or "restart" or "logDriver" => planned,

        // Never set by Read ("We decided not to set the environment variables and labels"; "// volumes";
        // "upload can't be imported"; networks_advanced only when the state holds none; wait/wait_timeout are
        // create-time only): the state keeps the planned value.
        "envs" or "labels" or "volumes" or "uploads" or "networksAdvanced" or "wait" or "waitTimeout" => planned,

        // Create: memory*1024*1024 bytes; Read: Memory/1024/1024. memory_swap the same when > 0 (-1 passes through).
        // shm_size the same.
        "memory" or "shmSize" => Integer(Integer(planned) * 1024 * 1024 / 1024 / 1024),
        "memorySwap" => Integer(planned) is var swap && swap > 0 ? Integer(swap * 1024 * 1024 / 1024 / 1024) : planned,

        // Create: opts.ParseCPUs → HostConfig.NanoCPUs; Read: nanoInt64ToDecimalString(NanoCPUs) when > 0.
        "cpus" => GoForms.ParseCpus(Text(planned)) is { } nanos
            ? GoForms.NanoInt64ToDecimalString(nanos)
            : throw new InvalidOperationException($"the provider refuses cpus '{Text(planned)}' on create"),

        // Read: ports = flattenContainerPorts(NetworkSettings.Ports) (resource_docker_container_structures.go):
        // sorted by internal port, ip = HostIP, external = HostPort, protocol from the "port/proto" key.
        "ports" => List(planned).OrderBy(p => Integer(Map(p)["internal"])).Select(p => (object)new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["internal"] = Map(p)["internal"],
            ["external"] = Map(p)["external"],
            ["ip"] = Map(p)["ip"],
            ["protocol"] = Map(p)["protocol"],
        }).ToList(),

        // Read: flattenDevices: host_path and permissions, container_path only when configured with a value.
        "devices" => List(planned).Select(d => (object)new SortedDictionary<string, object>(Map(d).Where(e => e.Key is "hostPath" or "permissions" or "containerPath").ToDictionary(), StringComparer.Ordinal)).ToList(),

        // Read: flattenDeviceRequests: driver, count, device_ids when any, capabilities[0] when any, options when any.
        "deviceRequests" => List(planned).Select(d => (object)new SortedDictionary<string, object>(Map(d).Where(e => e.Key is "driver" or "count" || (e.Key is "deviceIds" or "capabilities" && List(e.Value).Count > 0)).ToDictionary(), StringComparer.Ordinal)).ToList(),

        // Create: time.ParseDuration of each duration; Read: Healthcheck.<X>.String() (Go's Duration.String).
        "healthcheck" => ReadHealthcheck(Map(planned)),

        // Read: d.Set("read_only", HostConfig.ReadonlyRootfs); d.Set("tmpfs", HostConfig.Tmpfs) — the map Create put
        // into HostConfig.Tmpfs (mapTypeMapValsToString), which Docker keeps as given.
        "readOnly" or "tmpfs" => planned,

        // Read: capabilities = [{add: HostConfig.CapAdd, drop: HostConfig.CapDrop}] when either is non-empty, as Docker
        // stores them: normalized on create (moby oci/caps/utils.go, NormalizeLegacyCapabilities: upper-cased, CAP_
        // prefixed, "ALL" kept as written; dockerd 20.10 here inspects --cap-add chown as CAP_CHOWN). An absent list
        // reads as an empty set.
        "capabilities" => new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["adds"] = NormalizedCapabilities(Map(planned), "adds"),
            ["drops"] = NormalizedCapabilities(Map(planned), "drops"),
        },

        // Read: user = Config.User, command = Config.Cmd, network_mode = HostConfig.NetworkMode; Docker keeps each as
        // created (a numeric "uid:gid" is not resolved, an image's CMD is replaced by the given one).
        "user" or "command" or "networkMode" => planned,

        // attach is create-time only (Create waits for the container to stop); Read never sets it. Read lowers
        // must_run only for a stopped container (see StoppedContainerDrifts), so here it stays as planned.
        "attach" or "mustRun" => planned,

        // Read: containerLogOptsForState returns HostConfig.LogConfig.Config when log_opts is configured.
        "logOpts" => planned,

        // Create: parseSystemPaths drops "systempaths=unconfined" (handled client-side); Read: HostConfig.SecurityOpt.
        "securityOpts" => List(planned).Where(o => Text(o) != "systempaths=unconfined").ToList(),

        _ => throw new InvalidOperationException($"no read-back rule for docker:Container property '{property}': add one, from the provider's source"),
    };

    /// <summary>
    /// Read on a stopped container (resourceDockerContainerRead: "if !container.State.Running" sets exit_code, and
    /// must_run to false when it was true, so that the next plan starts it again). A container HomeLab lets the
    /// provider 'attach' to has stopped by the end of Create (ContainerWait, WaitConditionNotRunning); unless it says
    /// mustRun false, every refresh finds must_run changed and the next 'up' starts it again.
    /// </summary>
    public static IEnumerable<(string Property, object Planned, object Stored)> StoppedContainerDrifts(IReadOnlyDictionary<string, object> properties)
    {
        var stops = properties.TryGetValue("attach", out var attach) && Text(attach) == "true";
        var mustRun = properties.TryGetValue("mustRun", out var configured) ? Text(configured) : "true";
        if (stops && mustRun == "true")
        {
            yield return ("mustRun", mustRun, "false");
        }
    }

    private static List<object> NormalizedCapabilities(SortedDictionary<string, object> planned, string key) =>
        planned.TryGetValue(key, out var list)
            ? List(list).Select(c => Text(c).ToUpperInvariant() is var upper && (upper == "ALL" || upper.StartsWith("CAP_", StringComparison.Ordinal)) ? upper : "CAP_" + upper).ToList<object>()
            : [];

    private static SortedDictionary<string, object> ReadHealthcheck(SortedDictionary<string, object> planned)
    {
        string Duration(string key) => GoForms.ParseDurationNanos(Text(planned[key])) is { } nanos
            ? GoForms.DurationString(nanos)
            : throw new InvalidOperationException($"healthcheck {key} '{planned[key]}' is not a Go duration");

        return new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["tests"] = planned.TryGetValue("tests", out var tests) ? tests : new List<object>(),
            ["interval"] = Duration("interval"),
            ["timeout"] = Duration("timeout"),
            ["startPeriod"] = Duration("startPeriod"),
            ["startInterval"] = Duration("startInterval"),
            ["retries"] = planned["retries"],
        };
    }
}
