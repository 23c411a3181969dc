namespace HomeLab.Spec.Shape;

internal sealed record ListShape(string Description, ValueShape Items) : ValueShape(Description);
