namespace HomeLab.Conventions;

/// <summary>
/// The Docker labels on everything HomeLab creates: the program sets them, and the host check reads them back to
/// tell this stack's containers from another's.
/// </summary>
internal static class ResourceLabels
{
    public const string Stack = "homelab.stack";
    public const string Host = "homelab.host";
    public const string Instance = "homelab.instance";
    public const string Role = "homelab.role";

    /// <summary>A digest of an instance's healthcheck (the provider replaces a container only on label changes).</summary>
    public const string Healthcheck = "homelab.healthcheck";
}
