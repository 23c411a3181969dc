namespace HomeLab.Spec.Shape;

/// <summary>A mapping whose keys the operator chooses (host names, environment variables), all of one value shape.</summary>
internal sealed record DictShape(string Description, string KeyPattern, ValueShape Values) : ValueShape(Description);
