namespace HomeLab.Spec.Shape;

/// <summary>
/// The words a stack file uses for one enum, in the order editors list them. The loader reads them, the schema
/// offers them, and <c>homelab plan</c> and <c>homelab diff</c> spell values back with them; where two words mean
/// the same value (<c>tls: false</c> and <c>tls: off</c>) the first one is how HomeLab writes it.
/// </summary>
internal sealed class StackWords<T>(params (string Word, T Value)[] pairs)
    where T : struct, Enum
{
    /// <summary>Word and value pairs in the form <see cref="NodeReader.Enum{T}"/> takes.</summary>
    public (string Word, T Value)[] Pairs { get; } = pairs;

    public IReadOnlyList<string> Words { get; } = pairs.Select(p => p.Word).ToArray();

    /// <summary>The value <paramref name="word"/> stands for, e.g. a default the shape declares as a word.</summary>
    public T Value(string word) => Pairs.First(p => p.Word == word).Value;

    public string Of(T value) => Pairs.First(p => EqualityComparer<T>.Default.Equals(p.Value, value)).Word;
}
