namespace HomeLab.Tests.Nixos;

/// <summary>A theory that needs nix-instantiate and real nixpkgs: skipped with the reason outside CI when either is missing.</summary>
public sealed class NixpkgsTheoryAttribute : TheoryAttribute
{
    public NixpkgsTheoryAttribute() => Skip = NixpkgsReference.SkipReason();
}
