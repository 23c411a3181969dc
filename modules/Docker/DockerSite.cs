using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Spec;

namespace HomeLab.Modules.Docker;

/// <summary>
/// One Docker engine: its provider (explicit for remote engines reached over SSH) and the private networks
/// that HomeLab creates on it.
/// </summary>
internal sealed record DockerSite(DockerHostSpec Host, Ref? Provider, Resource InternalNetwork, Resource EgressNetwork, Resource? EdgeNetwork)
{
    public ResourceOptions Options(params Ref[] dependsOn) =>
        new(Provider: Provider, Version: Pins.DockerProvider, DependsOn: dependsOn.Length > 0 ? dependsOn : null);
}
