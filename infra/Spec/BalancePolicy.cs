namespace HomeLab.Spec;

internal enum BalancePolicy
{
    RoundRobin,
    LeastConn,
    First,
    Random,
}
