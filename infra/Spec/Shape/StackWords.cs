namespace HomeLab.Spec.Shape;

/// <summary>
/// The words a stack file uses for one enum, in the order editors list them. The loader reads them, the schema
/// offers them, and <c>homelab plan</c> and <c>homelab diff</c> spell values back with them; where two words mean
/// the same value (<c>tls: false</c> and <c>tls: off</c>) the first one is how HomeLab writes it. Several words may
/// also share a value, as Ollama's option names share their types (<see cref="ModelParameter.OllamaOptions"/>).
/// </summary>
/// <remarks>
/// Plain loops rather than LINQ: every stack load builds these tables, and LINQ over (word, enum) pairs is code
/// ReadyToRun cannot precompile, so the compiler hook would JIT it on each start.
/// </remarks>
internal sealed class StackWords<T>
    where T : struct, Enum
{
    private readonly T[] values;

    public StackWords(params (string Word, T Value)[] pairs)
    {
        var words = new string[pairs.Length];
        values = new T[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            (words[i], values[i]) = pairs[i];
        }

        Words = words;
    }

    public IReadOnlyList<string> Words { get; }

    /// <summary>The value <paramref name="word"/> stands for, or null when the stack file may not use that word.</summary>
    public T? Find(string word)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (Words[i] == word)
            {
                return values[i];
            }
        }

        return null;
    }

    /// <summary>The value <paramref name="word"/> stands for, e.g. a default the shape declares as a word.</summary>
    public T Value(string word) => Find(word) ?? throw new ArgumentException($"'{word}' is not a word for {typeof(T).Name}", nameof(word));

    public string Of(T value)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (EqualityComparer<T>.Default.Equals(values[i], value))
            {
                return Words[i];
            }
        }

        throw new ArgumentException($"{typeof(T).Name}.{value} has no word", nameof(value));
    }
}
