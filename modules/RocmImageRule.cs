using HomeLab.Conventions;
using HomeLab.Spec;
using HomeLab.Spec.Yaml;

namespace HomeLab.Modules;

/// <summary>
/// Where the stack chooses Ollama's image (Docker and Kubernetes hosts): a ROCm build exactly when the GPU is AMD.
/// ollama's release workflow (.github/workflows/release.yaml, docker-merge-push) publishes the ROCm runtime only
/// in the -rocm image, and the plain image has no ROCm libraries.
/// </summary>
internal static class RocmImageRule
{
    public static void Check(InstanceSpec instance, NodeReader r)
    {
        if (instance.Image is not { } image)
        {
            return;
        }

        var what = $"instance '{instance.Name}'";
        var rocm = image.Contains("rocm", StringComparison.Ordinal);
        if (instance.Gpu.Vendor is GpuVendor.Amd && !rocm)
        {
            r.Error(instance.At, $"{what} has an AMD GPU but image '{image}' is not a ROCm build", $"use the ROCm image, e.g. {Pins.OllamaRocmImage}, or remove 'image' to get it by default");
        }
        else if (instance.Gpu.Vendor is not GpuVendor.Amd && rocm)
        {
            r.Error(instance.At, $"{what} uses ROCm image '{image}' without 'gpu: amd'", "set 'gpu: amd', or use the plain ollama/ollama image");
        }
    }
}
