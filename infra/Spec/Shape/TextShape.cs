namespace HomeLab.Spec.Shape;

/// <summary>
/// A scalar read as text. <see cref="Choices"/> limits it to fixed words; <see cref="AnyScalar"/> also admits YAML
/// numbers and booleans (the loader reads every scalar as text, so `temperature: 0.2` is fine).
/// </summary>
internal sealed record TextShape(string Description, string? Pattern = null, IReadOnlyList<string>? Choices = null, bool AnyScalar = false) : ValueShape(Description);
