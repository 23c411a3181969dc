namespace HomeLab.Spec.Shape;

internal sealed record Field(string Key, ValueShape Shape, bool Required = false, object? Default = null);
