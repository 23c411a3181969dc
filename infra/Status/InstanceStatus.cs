namespace HomeLab.Status;

internal enum ModelState
{
    Present,
    Missing,

    /// <summary>A custom model whose stored definition (base, system prompt, parameters) differs from the stack's.</summary>
    Drifted,

    /// <summary>On the instance but not declared (nor the base of a declared custom model).</summary>
    Extra,
}

internal sealed record ModelStatus(string Name, ModelState State, IReadOnlyList<string> Differences);

/// <summary>A model Ollama holds in memory (/api/ps): its size, the part of it in VRAM, and when it unloads.</summary>
internal sealed record LoadedModel(string Name, long Size, long SizeVram, DateTimeOffset? ExpiresAt)
{
    /// <summary>The share of the model in GPU memory, 0 to 1; the rest runs on the CPU.</summary>
    public double VramRatio => Size > 0 ? Math.Clamp((double)SizeVram / Size, 0, 1) : 0;
}

/// <summary>One instance as it is, against what the stack declares. Healthy when nothing is listed in <see cref="Problems"/>.</summary>
internal sealed record InstanceStatus(
    string Instance,
    string Host,
    Uri Url,
    bool Reachable,
    string? Version,
    IReadOnlyList<ModelStatus> Models,
    IReadOnlyList<LoadedModel> Loaded,
    IReadOnlyList<string> Problems)
{
    /// <summary>The replica (StatefulSet ordinal) seen, when the instance runs several and each is probed on its own.</summary>
    public int? Replica { get; init; }

    public bool Healthy => Problems.Count == 0;
}
