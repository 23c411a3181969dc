using HomeLab.Spec.Shape;

namespace HomeLab.Deploy;

/// <summary>The pulumi subcommand each verb runs, which is also the name of the homelab command that wraps it.</summary>
internal static class PulumiVerbWords
{
    private static readonly StackWords<PulumiVerb> Verbs = new(
        ("up", PulumiVerb.Up), ("preview", PulumiVerb.Preview), ("destroy", PulumiVerb.Destroy));

    public static string Of(PulumiVerb verb) => Verbs.Of(verb);
}
