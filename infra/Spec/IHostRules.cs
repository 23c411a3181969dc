using HomeLab.Spec.Yaml;

namespace HomeLab.Spec;

/// <summary>
/// Settings one kind of host cannot honour (an image on NixOS, a ROCm image without an AMD GPU on Docker). Each
/// target keeps its rules beside its module; the loader runs them all, and each looks only at its own kind of host.
/// </summary>
internal interface IHostRules
{
    void Check(InstanceSpec instance, HostSpec host, NodeReader r);
}
