using HomeLab.Ollama;

namespace HomeLab.Hooks;

/// <summary>
/// Counts what one model's pull downloaded, over all its attempts. Ollama reports a layer's progress only on a
/// 60 ms tick and stops when the layer is done, so its last line usually falls short of the layer's size; a layer
/// already on disk is reported complete at once; a resumed layer starts at what an earlier attempt left
/// (server/download.go: blobDownload.Wait, downloadBlob). So: a layer counts from the first offset seen for it to its
/// size, once the pull has succeeded.
/// </summary>
internal sealed class PullTally
{
    private readonly Dictionary<string, (long First, long Latest, long Total)> layers = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public PullProgress Add(PullLine line)
    {
        lock (gate)
        {
            if (line.Digest is { } digest)
            {
                layers[digest] = layers.TryGetValue(digest, out var known)
                    ? (known.First, Math.Max(known.Latest, line.Completed), line.Total)
                    : (line.Completed, line.Completed, line.Total);
            }

            return new PullProgress(line.Status, layers.Values.Sum(l => l.Latest), layers.Values.Sum(l => l.Total));
        }
    }

    /// <summary>Bytes downloaded by this run, exact once the pull has succeeded (every layer then complete).</summary>
    public long Downloaded()
    {
        lock (gate)
        {
            return layers.Values.Sum(l => l.Total - l.First);
        }
    }
}
