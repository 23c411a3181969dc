namespace HomeLab.Program;

internal sealed record Number(double Value) : Value;
