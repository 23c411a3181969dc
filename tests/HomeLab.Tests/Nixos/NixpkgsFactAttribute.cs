namespace HomeLab.Tests.Nixos;

/// <summary>A fact that needs nix-instantiate and real nixpkgs: skipped with the reason outside CI when either is missing.</summary>
public sealed class NixpkgsFactAttribute : FactAttribute
{
    public NixpkgsFactAttribute() => Skip = NixpkgsReference.SkipReason();
}
