using HomeLab.Conventions;
using HomeLab.Spec;

namespace HomeLab.Modules;

/// <summary>
/// The image an Ollama container runs, on every target that runs one (Docker and Kubernetes hosts): the stack's
/// own 'image', or the pinned one — the ROCm build for an AMD GPU (<see cref="RocmImageRule"/>).
/// </summary>
internal static class OllamaImage
{
    public static string For(InstanceSpec instance) =>
        instance.Image ?? (instance.Gpu.Vendor is GpuVendor.Amd ? Pins.OllamaRocmImage : Pins.OllamaImage);
}
