namespace HomeLab.Workspace;

internal enum SecretState
{
    NotSet,

    /// <summary>Set, and encrypted (<c>secure:</c>) where that can be seen.</summary>
    Set,

    /// <summary>Set in stacks/Pulumi.&lt;stack&gt;.yaml as plain text: readable by anyone with the repository.</summary>
    PlainText,
}
