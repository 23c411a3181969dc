namespace HomeLab.Conventions;

/// <summary>How Pulumi starts the post-deploy hooks, and the header that pins their requests to one instance.</summary>
internal static class HookRouting
{
    /// <summary>The request header that sends a request to one named instance, whatever the route would pick.</summary>
    public const string InstanceHeader = "X-HomeLab-Instance";

    /// <summary>
    /// The request header that, beside <see cref="InstanceHeader"/>, sends a request to one replica (its ordinal, 0
    /// to replicas − 1) of an instance that runs several: the hooks pull and verify on every replica, not on
    /// whichever one the instance's Service picks.
    /// </summary>
    public const string ReplicaHeader = "X-HomeLab-Replica";

    /// <summary>
    /// The command Pulumi runs from the project root for one instance's hooks. Stack and instance names are strict
    /// identifiers, so the line needs no shell quoting.
    /// </summary>
    public static string CommandLine(string stack, string instance) => Launcher.CommandLine("hooks", stack, "--instance", instance);
}
