namespace HomeLab.Ollama;

/// <summary>One progress line of a pull: a status, and for a layer being downloaded its digest, bytes done and size.</summary>
internal readonly record struct PullLine(string Status, string? Digest, long Completed, long Total);
