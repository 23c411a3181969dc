namespace HomeLab.Program;

/// <summary>A Pulumi YAML built-in function call such as fn::secret.</summary>
internal sealed record Invoke(string Function, Value Argument) : Value;
