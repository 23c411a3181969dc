namespace HomeLab.Hooks;

/// <summary>Progress of one pull, summed over the layers Ollama has reported so far.</summary>
internal readonly record struct PullProgress(string Status, long Completed, long Total);
