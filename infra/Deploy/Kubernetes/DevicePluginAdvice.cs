using HomeLab.Spec;

namespace HomeLab.Deploy.Kubernetes;

/// <summary>
/// How a node comes to offer a GPU resource: a device plugin advertises it in node.status.allocatable (the kubelet's
/// device manager, Kubernetes pkg/kubelet/cm/devicemanager, ListAndWatch → node capacity). The fix names the plugin
/// that advertises the resource the stack asks for.
/// </summary>
internal static class DevicePluginAdvice
{
    public const string Nvidia = "https://github.com/NVIDIA/k8s-device-plugin";
    public const string Amd = "https://github.com/ROCm/k8s-device-plugin";
    public const string Intel = "https://github.com/intel/intel-device-plugins-for-kubernetes";

    public static string Fix(GpuVendor vendor, string resource) => (vendor, resource) switch
    {
        (_, _) when resource.StartsWith("nvidia.com/mig-", StringComparison.Ordinal) =>
            $"enable MIG on the GPU and run the NVIDIA device plugin with migStrategy 'mixed' ({Nvidia}) so the node offers {resource}, or ask for a resource a node offers",
        (_, "nvidia.com/gpu.shared") =>
            $"configure time-slicing in the NVIDIA device plugin with renameByDefault: true ({Nvidia}), or ask for nvidia.com/gpu",
        (GpuVendor.Nvidia, _) or (_, _) when resource.StartsWith("nvidia.com/", StringComparison.Ordinal) =>
            $"install the NVIDIA device plugin on the GPU node(s) ({Nvidia}; on k3s after the NVIDIA Container Toolkit, with runtimeClassName nvidia) and check 'kubectl describe node' lists {resource} under Allocatable",
        (GpuVendor.Amd, _) or (_, _) when resource.StartsWith("amd.com/", StringComparison.Ordinal) =>
            $"install the AMD GPU device plugin on the GPU node(s) ({Amd}; the amdgpu driver with ROCm on the node) and check 'kubectl describe node' lists {resource} under Allocatable",
        _ =>
            $"install the Intel GPU device plugin on the GPU node(s) ({Intel}, its gpu plugin; the i915 or xe driver on the node) and check 'kubectl describe node' lists {resource} under Allocatable",
    };
}
