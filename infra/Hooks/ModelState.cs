using HomeLab.Spec;
using HomeLab.Spec.Shape;

namespace HomeLab.Hooks;

/// <summary>What the hooks learned about one model during a run; becomes its <see cref="ModelReport"/>.</summary>
internal sealed class ModelState(ModelName name, ModelSpec? spec)
{
    public ModelName Name { get; } = name;

    public ModelSpec? Spec { get; } = spec;

    public string State { get; set; } = "unchecked";

    public long BytesPulled { get; set; }

    public int PullAttempts { get; set; }

    public double? PullMs { get; set; }

    public double? CreateMs { get; set; }

    public string? Definition { get; set; }

    public string? RecreatedBecause { get; set; }

    public double? WarmMs { get; set; }

    public double? LoadMs { get; set; }

    public double? TokensPerSecond { get; set; }

    public double? PromptTokensPerSecond { get; set; }

    public int? EmbeddingLength { get; set; }

    /// <summary>Share of the loaded model in GPU memory (/api/ps size_vram / size), when verify measured it.</summary>
    public double? VramShare { get; set; }

    public string? Error { get; set; }

    public ModelReport ToReport(Func<string, string> redact) => new(
        Name.Written,
        SpecShape.ModelKinds.Of(Spec?.Kind ?? ModelKind.Chat),
        State,
        Spec is not null,
        Spec?.IsCustom ?? false,
        Spec?.Warm ?? false,
        BytesPulled,
        PullAttempts,
        PullMs,
        CreateMs,
        Definition,
        RecreatedBecause,
        WarmMs,
        LoadMs,
        TokensPerSecond,
        PromptTokensPerSecond,
        EmbeddingLength,
        VramShare,
        Error is { } error ? redact(error) : null);
}
