using HomeLab.Conventions;
using HomeLab.Program;

namespace HomeLab.Modules.Kubernetes;

/// <summary>
/// The security contexts HomeLab's pods share: the pod runs as the unprivileged <see cref="KubernetesNames.PodUser"/>
/// (its volumes get that group) under the runtime's default seccomp profile, and no container gains privileges or
/// keeps a capability.
/// </summary>
internal static class KubernetesSecurity
{
    /// <summary>The pod's securityContext, with <paramref name="more"/> after the shared settings.</summary>
    public static MapValue Pod(params (string Key, Value? Value)[] more) => new(
    [
        ("runAsNonRoot", true),
        ("runAsUser", KubernetesNames.PodUser),
        ("runAsGroup", KubernetesNames.PodUser),
        ("fsGroup", KubernetesNames.PodUser),
        ("seccompProfile", new MapValue(("type", "RuntimeDefault"))),
        .. more,
    ]);

    /// <summary>A container's securityContext, with <paramref name="more"/> after the shared settings.</summary>
    public static MapValue Container(params (string Key, Value? Value)[] more) => new(
    [
        ("allowPrivilegeEscalation", false),
        ("capabilities", new MapValue(("drop", new ListValue("ALL")))),
        .. more,
    ]);
}
