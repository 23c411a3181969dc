using HomeLab.Program;

namespace HomeLab.Review;

/// <summary>
/// <c>homelab diff</c>'s view of the pinned providers: which property change replaces a resource. The facts live
/// in one place per package, <see cref="ProviderBehaviour.EffectOfChange"/> and <see cref="KubernetesBehaviour"/>, beside the forms the compiler emits.
/// </summary>
internal sealed class ProviderReplacementRules : IReplacementRules
{
    public static readonly ProviderReplacementRules Instance = new();

    public bool Knows(string resourceType) => ProviderBehaviour.Models(resourceType) || KubernetesBehaviour.Models(resourceType);

    public bool RunsCommand(string resourceType) => resourceType is "command:local:Command" or "command:remote:Command";

    public string? ForcesReplacement(string resourceType, string propertyPath)
    {
        if (KubernetesBehaviour.Models(resourceType))
        {
            return KubernetesBehaviour.ReplacedBy(resourceType, propertyPath);
        }

        var property = PropertyPaths.TopLevel(propertyPath);
        return ProviderBehaviour.EffectOfChange(resourceType, property) == ChangeEffect.Replace ? property : null;
    }
}
