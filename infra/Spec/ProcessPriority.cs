namespace HomeLab.Spec;

/// <summary>How a service yields to its co-tenants for CPU time and disk I/O (NixOS hosts, as systemd settings).</summary>
internal enum ProcessPriority
{
    Normal,
    Low,
    Idle,
}
