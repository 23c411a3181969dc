namespace HomeLab.Spec.Shape;

internal sealed record NumberShape(string Description, double Min, double Max) : ValueShape(Description);
