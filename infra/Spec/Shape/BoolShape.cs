namespace HomeLab.Spec.Shape;

internal sealed record BoolShape(string Description) : ValueShape(Description);
