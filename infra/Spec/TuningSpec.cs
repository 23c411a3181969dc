namespace HomeLab.Spec;

/// <summary>Ollama server settings that map to its OLLAMA_* variables.</summary>
internal sealed record TuningSpec(
    string? KeepAlive,
    int? NumParallel,
    int? MaxLoadedModels,
    int? ContextLength,
    bool? FlashAttention,
    string? KvCacheType,
    int? MaxQueue)
{
    public static readonly TuningSpec Defaults = new(null, null, null, null, null, null, null);

    /// <summary>
    /// Whether the instance may use Ollama cloud models (the instance's 'cloud:'). Ollama allows them unless
    /// OLLAMA_NO_CLOUD is set (v0.32.15 envconfig/config.go NoCloud; internal/cloud/policy.go), so a home lab's default
    /// sets it: no prompt leaves the instance unless the stack says so.
    /// </summary>
    public bool Cloud { get; init; }

    /// <summary>The environment variables Ollama reads, in a stable order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToEnvironment()
    {
        var env = new List<KeyValuePair<string, string>>();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                env.Add(new(key, value));
            }
        }

        Add("OLLAMA_KEEP_ALIVE", KeepAlive);
        Add("OLLAMA_NUM_PARALLEL", NumParallel?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("OLLAMA_MAX_LOADED_MODELS", MaxLoadedModels?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("OLLAMA_CONTEXT_LENGTH", ContextLength?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("OLLAMA_FLASH_ATTENTION", FlashAttention switch { true => "1", false => "0", null => null });
        Add("OLLAMA_KV_CACHE_TYPE", KvCacheType);
        Add("OLLAMA_MAX_QUEUE", MaxQueue?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("OLLAMA_NO_CLOUD", Cloud ? null : "1");
        return env;
    }
}
