namespace HomeLab.Tests.Architecture;

/// <summary>
/// One use of a type or namespace by code in another namespace: where it is (a type and member, or file:line),
/// the namespace of the user, what it uses and that thing's namespace.
/// </summary>
public sealed record Dependency(string Where, string FromNamespace, string Target, string ToNamespace);
