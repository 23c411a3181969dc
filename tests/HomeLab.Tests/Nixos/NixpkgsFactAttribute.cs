namespace HomeLab.Tests.Nixos;

/// <summary>A fact that needs nix-instantiate and real nixpkgs: skipped with the reason outside CI when either is missing.</summary>
public sealed class NixpkgsFactAttribute : FactAttribute
{
    public NixpkgsFactAttribute() => Skip = NixpkgsReference.SkipReason();

    /// <summary>
    /// A release only the shared reference holds (its lib and module shape); with one nixpkgs from NIX_PATH the
    /// fact is skipped with that reason, in CI too.
    /// </summary>
    public string? Release
    {
        get;
        init
        {
            field = value;
            if (Skip is null && value is not null && !NixpkgsReference.ReleaseNames().Contains(value))
            {
                Skip = $"NixOS {value} is only in the shared nixpkgs reference, and this run takes nixpkgs from NIX_PATH";
            }
        }
    }
}
