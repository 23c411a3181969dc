using k8s.Models;

namespace HomeLab.Tests.Support.Kubernetes;

/// <summary>
/// Kubernetes objects as a k3s cluster holds them, built with KubernetesClient's models: nodes with what their device
/// plugins advertise in status.allocatable, k3s' local-path StorageClass (its default, rancher.io/local-path), the
/// RuntimeClass k3s offers when it finds the NVIDIA container runtime (handler nvidia).
/// </summary>
public static class KubernetesObjects
{
    public const long GiB = 1L << 30;

    /// <summary>A Ready node; memory as the kubelet reports it (Ki), extended resources (GPUs) as whole numbers.</summary>
    public static V1Node Node(string name, long memory, IReadOnlyDictionary<string, long>? devices = null, IReadOnlyDictionary<string, string>? labels = null, bool ready = true, bool cordoned = false)
    {
        var allocatable = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new("8"),
            ["memory"] = new($"{memory / 1024}Ki"),
            ["pods"] = new("110"),
            ["ephemeral-storage"] = new("95000000Ki"),
        };
        foreach (var (resource, count) in devices ?? new Dictionary<string, long>())
        {
            allocatable[resource] = new ResourceQuantity(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var nodeLabels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
        };
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            nodeLabels[key] = value;
        }

        return new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = nodeLabels, Uid = Guid.NewGuid().ToString() },
            Spec = new V1NodeSpec { Unschedulable = cordoned ? true : null },
            Status = new V1NodeStatus
            {
                Capacity = allocatable,
                Allocatable = allocatable,
                Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "Unknown", Reason = ready ? "KubeletReady" : "NodeStatusUnknown" }],
                NodeInfo = new V1NodeSystemInfo { KubeletVersion = "v1.31.4+k3s1", ContainerRuntimeVersion = "containerd://1.7.23-k3s2", OperatingSystem = "linux", Architecture = "amd64" },
            },
        };
    }

    public static V1StorageClass StorageClass(string name, bool isDefault = false, string provisioner = "rancher.io/local-path") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Annotations = isDefault ? new Dictionary<string, string> { ["storageclass.kubernetes.io/is-default-class"] = "true" } : null,
        },
        Provisioner = provisioner,
        ReclaimPolicy = "Delete",
        VolumeBindingMode = "WaitForFirstConsumer",
    };

    public static V1RuntimeClass RuntimeClass(string name) => new() { Metadata = new V1ObjectMeta { Name = name }, Handler = name };

    /// <summary>A namespace; <paramref name="stack"/> gives it the labels HomeLab's program puts on the namespace it creates for that stack.</summary>
    public static V1Namespace Namespace(string name, string? stack = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = stack is null
                ? new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = name }
                : new Dictionary<string, string>
                {
                    ["kubernetes.io/metadata.name"] = name,
                    [HomeLab.Conventions.KubernetesNames.PartLabel] = HomeLab.Conventions.KubernetesNames.NamespacePart,
                    [HomeLab.Conventions.KubernetesNames.InstanceLabel] = stack,
                    [HomeLab.Conventions.KubernetesNames.ManagedByLabel] = HomeLab.Conventions.KubernetesNames.ManagedBy,
                },
        },
        Status = new V1NamespaceStatus { Phase = "Active" },
    };
}
