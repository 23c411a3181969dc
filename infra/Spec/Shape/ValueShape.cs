namespace HomeLab.Spec.Shape;

/// <summary>The shape of one value in a stack file, with the one-line description editors show for it.</summary>
internal abstract record ValueShape(string Description);
