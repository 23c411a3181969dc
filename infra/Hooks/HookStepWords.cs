using HomeLab.Spec.Shape;

namespace HomeLab.Hooks;

/// <summary>
/// The words for the post-deploy steps, in the order they run: what <c>homelab hooks --only</c> accepts and what the
/// report and the console call each step.
/// </summary>
internal static class HookStepWords
{
    public static readonly StackWords<HookStep> Steps = new(
        ("wait", HookStep.Wait), ("pull", HookStep.Pull), ("create", HookStep.Create), ("remove", HookStep.Remove), ("warm", HookStep.Warm), ("verify", HookStep.Verify));

    public static string Of(HookStep step) => Steps.Of(step);
}
