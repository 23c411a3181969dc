namespace HomeLab.Spec.Shape;

internal sealed record IntShape(string Description, int Min, int Max) : ValueShape(Description);
