namespace HomeLab.Program;

/// <summary>What a provider does when one property of a deployed resource changes.</summary>
internal enum ChangeEffect
{
    /// <summary>The resource is deleted and created again (a container: its models are unloaded).</summary>
    Replace,

    /// <summary>The provider changes the running resource in place.</summary>
    UpdateInPlace,

    /// <summary>Only the stored state changes; the running resource keeps the old setting until it is replaced.</summary>
    StateOnly,
}
