using HomeLab.Cli.Views;

namespace HomeLab.Cli;

internal sealed record DiffRequest(string? Base, DiffFormat Format, IReadOnlyList<string> Stacks);
