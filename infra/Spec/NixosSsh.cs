namespace HomeLab.Spec;

/// <summary>How the deploy logs in to a NixOS host; <see cref="HostKey"/> is null only in a spec that failed validation.</summary>
internal sealed record NixosSsh(string User, int Port, string? PrivateKeySecret, SshHostKey? HostKey);
