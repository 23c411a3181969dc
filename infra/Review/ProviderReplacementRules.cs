namespace HomeLab.Review;

/// <summary>
/// Which input properties force a replacement, for the provider versions the program pins (docker 5.1.0, command
/// 1.2.1). Facts read from the providers' source, one rule family per resource type; each names where it comes from.
///
/// pulumi-docker v5.1.0 is bridged from kreuzwerker/terraform-provider-docker at its v4.5.0 tag (the `upstream`
/// submodule of pulumi/pulumi-docker v5.1.0 points at commit 5074970c, tag v4.5.0). The bridge turns a Terraform
/// schema attribute's <c>ForceNew: true</c> into a replacement, so a property forces replacement exactly when its
/// Terraform attribute (snake_case of the Pulumi name, singular for lists: <c>envs</c> is <c>env</c>) is ForceNew.
/// Nested attributes of a ForceNew block are ForceNew too, so the top-level property decides.
///
/// pulumi-command v1.2.1 marks only <c>triggers</c> as <c>provider:"replaceOnChanges"</c>; every other change is an
/// update, and its Update runs the <c>update</c> command or, when there is none, <c>create</c> again.
/// </summary>
internal sealed class ProviderReplacementRules : IReplacementRules
{
    public static readonly ProviderReplacementRules Instance = new();

    /// <summary>
    /// docker:Container — terraform-provider-docker v4.5.0 internal/provider/resource_docker_container.go,
    /// resourceDockerContainer(): every settable attribute is ForceNew except these. Of them,
    /// resourceDockerContainerUpdate() (resource_docker_container_funcs.go) applies restart, max_retry_count,
    /// cpu_shares, memory, memory_reservation, cpu_set, memory_swap and the device_* limits to the running container
    /// with ContainerUpdate; the others only change what the provider records.
    /// </summary>
    private static readonly HashSet<string> ContainerInPlace = new(StringComparer.Ordinal)
    {
        "rm", "start", "wait", "waitTimeout", "attach", "logs", "mustRun", "restart", "maxRetryCount", "removeVolumes", "tmpfs",
        "deviceReadBps", "deviceReadIops", "deviceWriteBps", "deviceWriteIops", "destroyGraceSeconds", "memory", "memoryReservation",
        "memorySwap", "cpuShares", "cpuSet", "healthcheck", "containerReadRefreshTimeoutMilliseconds", "init", "cpuPeriod", "cpuQuota",
    };

    /// <summary>
    /// docker:RemoteImage — resource_docker_image.go, resourceDockerImage(): name, pull_triggers, triggers and
    /// platform are ForceNew; keep_locally, force_remove and build are not.
    /// </summary>
    private static readonly HashSet<string> ImageInPlace = new(StringComparer.Ordinal) { "keepLocally", "forceRemove", "build" };

    /// <summary>docker:Volume — resource_docker_volume.go, resourceDockerVolume(): name, labels, driver and driver_opts are ForceNew; cluster is not.</summary>
    private static readonly HashSet<string> VolumeInPlace = new(StringComparer.Ordinal) { "cluster" };

    /// <summary>
    /// command:local:Command and command:remote:Command — pulumi-command v1.2.1 provider/pkg/provider/common/inputs.go,
    /// ResourceInputs.Triggers is <c>provider:"replaceOnChanges"</c>; command:remote:CopyToRemote —
    /// provider/pkg/provider/remote/copy.go, CopyToRemoteInputs.Triggers likewise.
    /// </summary>
    private static readonly HashSet<string> CommandReplacing = new(StringComparer.Ordinal) { "triggers" };

    private static readonly HashSet<string> CommandTypes = new(StringComparer.Ordinal) { "command:local:Command", "command:remote:Command", "command:remote:CopyToRemote" };

    public bool Knows(string resourceType) => resourceType is "docker:Container" or "docker:RemoteImage" or "docker:Volume" or "docker:Network" || CommandTypes.Contains(resourceType);

    public bool RunsCommand(string resourceType) => resourceType is "command:local:Command" or "command:remote:Command";

    public string? ForcesReplacement(string resourceType, string propertyPath)
    {
        var property = PropertyPaths.TopLevel(propertyPath);
        var replaces = resourceType switch
        {
            "docker:Container" => !ContainerInPlace.Contains(property),
            "docker:RemoteImage" => !ImageInPlace.Contains(property),
            "docker:Volume" => !VolumeInPlace.Contains(property),

            // resource_docker_network.go, resourceDockerNetwork(): every attribute is ForceNew and there is no Update.
            "docker:Network" => true,
            _ when CommandTypes.Contains(resourceType) => CommandReplacing.Contains(property),
            _ => false,
        };
        return replaces ? property : null;
    }
}
