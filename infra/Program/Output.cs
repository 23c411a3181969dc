namespace HomeLab.Program;

internal sealed record Output(string Name, Value Value);
