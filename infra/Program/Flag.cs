namespace HomeLab.Program;

internal sealed record Flag(bool Value) : Value;
