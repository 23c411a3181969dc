namespace HomeLab.Review;

/// <summary>
/// What a provider does when one input property of a resource changes: replace the resource, or update it in place.
/// <c>homelab diff</c> asks this for every changed property so a reviewer sees which containers are recreated.
/// </summary>
internal interface IReplacementRules
{
    /// <summary>Whether the provider of this resource type is modelled at all; when not, the diff says so instead of guessing.</summary>
    bool Knows(string resourceType);

    /// <summary>
    /// Null when a change at <paramref name="propertyPath"/> (a program path such as <c>envs[1]</c> or
    /// <c>healthcheck.interval</c>) is applied in place; otherwise the property that forces the replacement.
    /// </summary>
    string? ForcesReplacement(string resourceType, string propertyPath);

    /// <summary>Resources that run a command: any change, in place or by replacement, runs the command again.</summary>
    bool RunsCommand(string resourceType);
}
