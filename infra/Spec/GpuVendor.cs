namespace HomeLab.Spec;

internal enum GpuVendor
{
    None,
    Nvidia,
    Amd,
    Intel,
}
