namespace HomeLab.Conventions;

/// <summary>
/// The Pulumi project: its name in Pulumi.yaml is the program's name and the namespace of the stack's config keys
/// (<c>homelab:localToken</c>). Pulumi tells the compiler the name in PULUMI_PROJECT; without it, this one.
/// </summary>
internal static class PulumiProject
{
    public const string Name = "homelab";

    /// <summary>The project named by PULUMI_PROJECT, or <see cref="Name"/> when it is unset or empty.</summary>
    public static string From(Func<string, string?> environment) => environment("PULUMI_PROJECT") is { Length: > 0 } p ? p : Name;

    /// <summary>
    /// The key of this project: <c>homelab:token</c> is <c>token</c>. A key of another namespace is not ours, and neither
    /// is one without a namespace: Pulumi qualifies every stack config key (sdk/go/common/resource/config/key.go,
    /// ParseKey refuses a key without one).
    /// </summary>
    public static string? OwnKey(string qualified, string project) =>
        qualified.StartsWith(project + ":", StringComparison.Ordinal) ? qualified[(project.Length + 1)..] : null;
}
