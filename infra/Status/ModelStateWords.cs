using HomeLab.Spec.Shape;

namespace HomeLab.Status;

/// <summary>The words status's JSON gives each model state: a contract for scripts that read it.</summary>
internal static class ModelStateWords
{
    private static readonly StackWords<ModelState> States = new(
        ("present", ModelState.Present), ("missing", ModelState.Missing), ("drifted", ModelState.Drifted), ("extra", ModelState.Extra));

    public static string Of(ModelState state) => States.Of(state);
}
