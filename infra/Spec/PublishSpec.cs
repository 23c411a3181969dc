namespace HomeLab.Spec;

/// <param name="Unauthenticated">The operator's acknowledgment that a port published beyond loopback is open without credentials.</param>
internal sealed record PublishSpec(int Port, string Bind, bool Unauthenticated);
