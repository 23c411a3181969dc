using System.Collections.Concurrent;

namespace HomeLab.Tests.Hooks.StandIn;

/// <summary>Switchable misbehaviour, set by a test before (or while) the hooks run. Counters count down per request.</summary>
public sealed class StandInFaults
{
    private int serverErrors;

    /// <summary>The next N requests (to <see cref="ServerErrorPath"/>, or any path) answer 500 with an error body.</summary>
    public int ServerErrors
    {
        get => Volatile.Read(ref serverErrors);
        set => Volatile.Write(ref serverErrors, value);
    }

    public string? ServerErrorPath { get; set; }

    /// <summary>Per model: how many pull attempts end with an <c>{"error": ...}</c> line halfway through a 200 stream.</summary>
    public ConcurrentDictionary<string, int> ErrorMidStream { get; } = new(StringComparer.Ordinal);

    /// <summary>Per model: how many pull attempts stop sending anything halfway through.</summary>
    public ConcurrentDictionary<string, int> StallMidStream { get; } = new(StringComparer.Ordinal);

    /// <summary>Per model: how many pull attempts freeze halfway, repeating the same progress every 60 ms and moving no bytes.</summary>
    public ConcurrentDictionary<string, int> FrozenMidStream { get; } = new(StringComparer.Ordinal);

    /// <summary>Per path: how many requests have their connection closed with no answer, as when Ollama restarts.</summary>
    public ConcurrentDictionary<string, int> CutConnection { get; } = new(StringComparer.Ordinal);

    /// <summary>Leave out each layer's last progress line, as Ollama's 60 ms tick usually does.</summary>
    public bool ShortLastProgress { get; set; } = true;

    /// <summary>Per model: how many pull attempts have their connection cut halfway through.</summary>
    public ConcurrentDictionary<string, int> DropMidStream { get; } = new(StringComparer.Ordinal);

    public string StreamErrorText { get; set; } = "max retries exceeded: unexpected EOF";

    /// <summary>Pause after each progress line of a pull: throttles the stream.</summary>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>Bytes each pull progress line advances.</summary>
    public long ChunkBytes { get; set; } = 64 << 20;

    /// <summary>Error answers repeat the credential the client presented, as a careless server might.</summary>
    public bool EchoCredential { get; set; }

    /// <summary>Embedding models that answer with an empty vector.</summary>
    public ConcurrentDictionary<string, bool> EmptyEmbeddings { get; } = new(StringComparer.Ordinal);

    /// <summary>Models /api/tags lists but /v1/models leaves out.</summary>
    public ConcurrentDictionary<string, bool> HiddenFromOpenAi { get; } = new(StringComparer.Ordinal);

    /// <summary>Split NDJSON lines into pieces written separately (and sometimes join two lines in one write).</summary>
    public bool SplitLines { get; set; } = true;

    internal static bool Take(ConcurrentDictionary<string, int> counters, string key)
    {
        while (counters.TryGetValue(key, out var left) && left > 0)
        {
            if (counters.TryUpdate(key, left - 1, left))
            {
                return true;
            }
        }

        return false;
    }

    internal bool TakeServerError(string path)
    {
        if (ServerErrorPath is { } only && only != path)
        {
            return false;
        }

        while (true)
        {
            var left = Volatile.Read(ref serverErrors);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref serverErrors, left - 1, left) == left)
            {
                return true;
            }
        }
    }
}
