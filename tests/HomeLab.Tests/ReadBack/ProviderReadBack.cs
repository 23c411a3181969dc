using static HomeLab.Tests.ReadBack.Tree;

namespace HomeLab.Tests.ReadBack;

/// <summary>A property whose stored value differs from what the program gives: Pulumi would show a change on every run.</summary>
internal sealed record Drift(string Resource, string Type, string Property, string Emitted, string Stored)
{
    public override string ToString() => $"{Resource} ({Type}).{Property}: emitted {Emitted}, stored {Stored}";
}

/// <summary>
/// The read-back model: for each property a program sets, the value the provider stores after create and refresh,
/// and whether the provider's diff between that and the program is empty. Each rule cites its upstream source.
/// </summary>
internal static class ProviderReadBack
{
    /// <summary>Every property of every resource of <paramref name="program"/> whose stored value the provider would diff against the program.</summary>
    public static IReadOnlyList<Drift> Drifts(string program)
    {
        var drifts = new List<Drift>();
        foreach (var resource in EmittedProgram.Resources(program).Where(r => !r.Type.StartsWith("kubernetes:", StringComparison.Ordinal)))
        {
            foreach (var (property, emitted) in resource.Properties)
            {
                var planned = Plan(resource.Type, property, emitted);
                var stored = ReadBack(resource.Type, property, planned);
                if (!Same(resource.Type, property, planned, stored))
                {
                    drifts.Add(new Drift(resource.Name, resource.Type, property, Canonical(planned), Canonical(stored)));
                }
            }

            if (resource.Type == "docker:Container")
            {
                drifts.AddRange(DockerContainerReadBack.StoppedContainerDrifts(resource.Properties)
                    .Select(d => new Drift(resource.Name, resource.Type, d.Property, Canonical(d.Planned), Canonical(d.Stored))));
            }
        }

        drifts.AddRange(KubernetesReadBack.Drifts(program));
        return drifts;
    }

    public static object Plan(string type, string property, object value) =>
        type == "docker:Container" ? DockerContainerReadBack.Plan(property, value) : value;

    public static object ReadBack(string type, string property, object planned) => type switch
    {
        "docker:Container" => DockerContainerReadBack.ReadBack(property, planned),

        // resourceDockerNetworkRead (resource_docker_network_funcs.go): name, labels (mapToLabelSet), driver and
        // internal from the network Docker reports, which keeps them as created.
        "docker:Network" when property is "name" or "driver" or "internal" or "labels" => planned,

        // resourceDockerVolumeRead (resource_docker_volume.go): name, labels, driver from the volume as created.
        "docker:Volume" when property is "name" or "labels" => planned,

        // resourceDockerImageRead (resource_docker_image_funcs.go) sets only image_id and repo_digest; name and
        // keep_locally stay as planned.
        "docker:RemoteImage" when property is "name" or "keepLocally" => planned,

        // Provider inputs are stored as given; pulumi-docker's resources.go only defaults 'host' (DOCKER_HOST or
        // the local socket) when it is absent.
        "pulumi:providers:docker" when property is "host" or "sshOpts" => planned,

        // pulumi-kubernetes provider/pkg/provider/provider.go (CheckConfig, DiffConfig): the provider's inputs are
        // kept as given; DiffConfig compares them with the previous inputs.
        "pulumi:providers:kubernetes" when property is "kubeconfig" or "context" or "namespace" or "enableServerSideApply" => planned,

        // pulumi-command (provider/pkg/provider/{local,remote}/commandController.go): Create stores
        // CommandOutputs{CommandInputs: input} and there is no Read, so every input is stored as given.
        "command:local:Command" when property is "create" or "environment" or "triggers" or "addPreviousOutputInEnv" or "logging" => planned,
        "command:remote:Command" when property is "create" or "stdin" or "connection" or "triggers" or "addPreviousOutputInEnv" or "environment" => planned,

        _ => throw new InvalidOperationException($"no read-back rule for {type} property '{property}': add one, from the provider's source"),
    };

    /// <summary>Whether the provider's diff between the planned and the stored value is empty.</summary>
    public static bool Same(string type, string property, object planned, object stored)
    {
        var nested = type == "docker:Container" ? DockerContainerReadBack.NestedSets : null;
        if (type == "docker:Container" && property == "ports")
        {
            return PortsUnchanged(List(stored), List(planned));
        }

        // TypeSet properties compare as sets (schema.HashString / HashResource, labels hashed by key).
        var isSet = (type == "docker:Container" && DockerContainerReadBack.Sets.Contains(property))
            || (type is "docker:Network" or "docker:Volume" && property == "labels");
        return isSet
            ? SetOf(planned, nested).SetEquals(SetOf(stored, nested))
            : Canonical(planned, nested) == Canonical(stored, nested);
    }

    private static HashSet<string> SetOf(object value, IReadOnlySet<string>? nested) =>
        List(value).Select(item => Canonical(item, nested)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// suppressIfPortsDidNotChangeForMigrationV0ToV1 (resource_docker_container.go), the DiffSuppressFunc on
    /// 'ports': no change when both lists have the same length and every old port's internal port is in the new
    /// list with the same protocol, external port and ip, in any order.
    /// </summary>
    private static bool PortsUnchanged(IReadOnlyList<object> old, IReadOnlyList<object> @new) =>
        old.Count == @new.Count && old.Select(Map).All(o => @new.Select(Map).Any(n =>
            Text(n["internal"]) == Text(o["internal"]) && Text(n["protocol"]) == Text(o["protocol"])
            && Text(n["external"]) == Text(o["external"]) && Text(n["ip"]) == Text(o["ip"])));
}
