using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Spec;

namespace HomeLab.Modules.Docker;

/// <summary>
/// What every long-running HomeLab container shares (Ollama, the front end): its data on a named volume or a host
/// path, a healthcheck that Pulumi waits for, log rotation and no privilege escalation.
/// </summary>
internal static class SupervisedContainer
{
    /// <summary>
    /// The mount for the container's data: a 'docker:Volume' named by the stack (added as
    /// <paramref name="volumeResource"/>, labelled with <paramref name="label"/>), or the stack's host path.
    /// </summary>
    public static MapValue Storage(ProgramBuilder program, StackSpec spec, StorageSpec storage, string volumeResource, (string Label, string Value) label, string containerPath, DockerSite site)
    {
        if (storage.Volume is { } volumeName)
        {
            var volume = program.Add(volumeResource, "docker:Volume", new MapValue(
                ("name", volumeName),
                ("labels", DockerHosts.Labels(spec.Name, label))), site.Options());
            return new MapValue(("volumeName", volume.Output("name")), ("containerPath", containerPath));
        }

        return new MapValue(("hostPath", storage.Path!), ("containerPath", containerPath));
    }

    /// <summary>A healthcheck every 30 s with a 10 s timeout and three retries; durations in Go's own form, as the provider reads them back.</summary>
    public static MapValue Healthcheck(ListValue test, TimeSpan startPeriod) => new(
        ("tests", test),
        ("interval", ProviderBehaviour.GoDuration(TimeSpan.FromSeconds(30))),
        ("timeout", ProviderBehaviour.GoDuration(TimeSpan.FromSeconds(10))),
        ("startPeriod", ProviderBehaviour.GoDuration(startPeriod)),
        ("retries", 3));

    /// <summary>
    /// Changes exactly when the healthcheck does; short, since it is read by people in 'docker inspect'. The provider
    /// neither replaces a container on a healthcheck change nor updates it in place, so the digest rides in a label,
    /// and labels force replacement.
    /// </summary>
    public static string HealthcheckDigest(MapValue healthcheck) => ContentDigest.Short(ProgramEmitter.EmitValue(healthcheck), 16);

    /// <summary>
    /// The container's supervision, in the order the container's properties list it: the healthcheck, Pulumi waiting
    /// for it (up to five minutes), rotated JSON logs and no-new-privileges.
    /// </summary>
    public static (string Key, Value? Value)[] Supervision(MapValue healthcheck) =>
    [
        ("healthcheck", healthcheck),
        ("wait", true),
        ("waitTimeout", 300),
        ("logDriver", "json-file"),
        ("logOpts", DockerHosts.LogRotation()),
        ("securityOpts", NoNewPrivileges),
    ];

    /// <summary>No process in the container gains privileges through setuid binaries or file capabilities.</summary>
    public static ListValue NoNewPrivileges => new("no-new-privileges:true");
}
