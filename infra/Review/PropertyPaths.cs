namespace HomeLab.Review;

/// <summary>Program property paths as <see cref="ProgramDiff"/> writes them: <c>envs[1]</c>, <c>healthcheck.interval</c>.</summary>
internal static class PropertyPaths
{
    /// <summary>The property a path starts with: <c>envs</c> for <c>envs[1]</c>, <c>healthcheck</c> for <c>healthcheck.interval</c>.</summary>
    public static string TopLevel(string path)
    {
        var end = path.IndexOfAny(['.', '[']);
        return end < 0 ? path : path[..end];
    }
}
