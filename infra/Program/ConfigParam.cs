namespace HomeLab.Program;

internal sealed record ConfigParam(string Name, string Type, bool Secret, Value? Default = null);
