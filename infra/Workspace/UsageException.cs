namespace HomeLab.Workspace;

/// <summary>A mistake in how the command was called; reported as one line with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
