namespace HomeLab.Program;

/// <summary>A literal string. The emitter escapes any '${' in it, so user text never becomes an expression.</summary>
internal sealed record Text(string Value) : Value;
