namespace HomeLab.Spec;

internal sealed record PublishSpec(int Port, string Bind);
