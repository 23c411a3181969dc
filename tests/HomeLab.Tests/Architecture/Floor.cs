namespace HomeLab.Tests.Architecture;

/// <summary>One floor of <see cref="Layers"/>: its level (0 is the bottom) and the namespace that names it.</summary>
public sealed record Floor(int Level, string Name);
