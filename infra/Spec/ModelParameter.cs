using System.Globalization;

using HomeLab.Spec.Shape;

namespace HomeLab.Spec;

/// <summary>
/// One model parameter of a custom model, checked against Ollama's option types when the stack loads.
/// <see cref="Values"/> hold the canonical text of each value (one, or several for <c>stop</c>); <see cref="Number"/>
/// and <see cref="Flag"/> give the typed value the create request sends.
/// </summary>
internal sealed record ModelParameter(string Name, ParameterType Type, IReadOnlyList<string> Values)
{
    /// <summary>
    /// Ollama's options and their Go types, at v0.12.6 and later (api/types.go Options, Runner). Ollama converts a
    /// create's parameters with Options.FromMap when the model loads: an int field takes any JSON number, a float32
    /// field a JSON number, a *bool a JSON boolean, stop an array of strings; anything else fails the load with
    /// 'option "x" must be of type ...', and an unknown name is dropped with only a log warning.
    /// </summary>
    public static readonly StackWords<ParameterType> OllamaOptions = new(
        ("num_keep", ParameterType.Integer),
        ("seed", ParameterType.Integer),
        ("num_predict", ParameterType.Integer),
        ("top_k", ParameterType.Integer),
        ("top_p", ParameterType.Float),
        ("min_p", ParameterType.Float),
        ("typical_p", ParameterType.Float),
        ("repeat_last_n", ParameterType.Integer),
        ("temperature", ParameterType.Float),
        ("repeat_penalty", ParameterType.Float),
        ("presence_penalty", ParameterType.Float),
        ("frequency_penalty", ParameterType.Float),
        ("stop", ParameterType.StringList),
        ("num_ctx", ParameterType.Integer),
        ("num_batch", ParameterType.Integer),
        ("num_gpu", ParameterType.Integer),
        ("main_gpu", ParameterType.Integer),
        ("use_mmap", ParameterType.Boolean),
        ("num_thread", ParameterType.Integer),
        ("draft_num_predict", ParameterType.Integer));

    public double Number => double.Parse(Values[0], NumberStyles.Float, CultureInfo.InvariantCulture);

    public bool Flag => Values[0] == "true";

    /// <summary>How a type is named in messages, as Ollama's own error names it.</summary>
    public static string Describe(ParameterType type) => type switch
    {
        ParameterType.Integer => "a whole number",
        ParameterType.Float => "a number",
        ParameterType.Boolean => "true or false",
        _ => "a list of strings",
    };

    /// <summary>The canonical text of a scalar for <paramref name="type"/>, or null when Ollama would refuse it.</summary>
    public static string? Normalise(ParameterType type, string text) => type switch
    {
        ParameterType.Integer => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) ? whole.ToString(CultureInfo.InvariantCulture) : null,
        ParameterType.Float => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number.ToString("R", CultureInfo.InvariantCulture) : null,
        ParameterType.Boolean => text is "true" or "false" ? text : null,
        _ => text,
    };

    /// <summary>The text the definition digest hashes: the single value, or the list in brackets.</summary>
    public string Text => Type is ParameterType.StringList ? "[" + string.Join(", ", Values) + "]" : Values[0];
}
