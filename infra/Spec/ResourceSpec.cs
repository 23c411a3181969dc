namespace HomeLab.Spec;

/// <summary>Limits for an instance. <see cref="Priority"/> is null when the stack does not set it.</summary>
internal sealed record ResourceSpec(long? MemoryBytes, double? Cpus, long? SharedMemoryBytes, ProcessPriority? Priority = null)
{
    public static readonly ResourceSpec Unlimited = new(null, null, null);
}
