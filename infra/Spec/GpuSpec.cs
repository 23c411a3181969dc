namespace HomeLab.Spec;

/// <summary>GPU access. For NVIDIA either all devices, specific device ids, or a count.</summary>
internal sealed record GpuSpec(GpuVendor Vendor, IReadOnlyList<string> DeviceIds, int? Count)
{
    public static readonly GpuSpec None = new(GpuVendor.None, [], null);

    public bool AllDevices => DeviceIds.Count == 0 && Count is null;
}
