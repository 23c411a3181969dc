namespace HomeLab.Spec;

internal sealed record RouteSpec(string Prefix, IReadOnlyList<string> Instances, BalancePolicy Balance, SourceMark At);
