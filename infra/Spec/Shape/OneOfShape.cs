namespace HomeLab.Spec.Shape;

/// <summary>Exactly one of several shapes, e.g. a model given as a plain name or as a mapping.</summary>
internal sealed record OneOfShape(string Description, IReadOnlyList<ValueShape> Options) : ValueShape(Description);
