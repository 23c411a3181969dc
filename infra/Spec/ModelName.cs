namespace HomeLab.Spec;

/// <summary>
/// A model name as the stack wrote it, with the form Ollama itself resolves it to. Ollama fills in a missing host
/// (registry.ollama.ai), namespace (library) and tag (latest), and matches names case-insensitively, so
/// 'Qwen2.5', 'qwen2.5:latest' and 'registry.ollama.ai/library/qwen2.5:latest' are one model (ollama
/// types/model/name.go: ParseName, Merge, DefaultName, EqualFold). Equality follows <see cref="Key"/>.
/// </summary>
internal sealed class ModelName : IEquatable<ModelName>
{
    public const string DefaultHost = "registry.ollama.ai";
    public const string DefaultNamespace = "library";
    public const string DefaultTag = "latest";

    private ModelName(string written, string host, string @namespace, string model, string tag)
    {
        Written = written;
        Host = host;
        Namespace = @namespace;
        Model = model;
        Tag = tag;
        Key = $"{host}/{@namespace}/{model}:{tag}".ToLowerInvariant();
        Shortest = string.Equals(host, DefaultHost, StringComparison.OrdinalIgnoreCase)
            ? string.Equals(@namespace, DefaultNamespace, StringComparison.OrdinalIgnoreCase) ? $"{model}:{tag}" : $"{@namespace}/{model}:{tag}"
            : $"{host}/{@namespace}/{model}:{tag}";
    }

    /// <summary>The name exactly as written in the stack file; what messages and the report show.</summary>
    public string Written { get; }

    public string Host { get; }

    public string Namespace { get; }

    public string Model { get; }

    public string Tag { get; }

    /// <summary>The fully qualified name in lower case: two names are the same model exactly when their keys are equal.</summary>
    public string Key { get; }

    /// <summary>The shortest form Ollama lists the model under (name.go DisplayShortest): 'llama3.2:latest', 'me/bot:1'.</summary>
    public string Shortest { get; }

    /// <summary>
    /// A model ollama.com serves (the legacy form a cloud name is pulled and listed under: tag 'cloud' or '…-cloud');
    /// prompts to it leave the instance. Ollama v0.32.15 internal/modelref parseSourceSuffix, NormalizePullName.
    /// </summary>
    public bool IsCloud => Tag.Equals("cloud", StringComparison.OrdinalIgnoreCase) || Tag.EndsWith("-cloud", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The name Ollama v0.32.15 stores and lists for <paramref name="written"/>, or a problem. Since v0.18.0 a last
    /// ':local' or ':cloud' (any case) is a source suffix, not a tag (internal/modelref ParseRef, parseSourceSuffix):
    /// 'qwen2.5:local' is the local 'qwen2.5' (so 'qwen2.5:latest'), and pull, delete and create's 'from' normalise
    /// 'x:cloud' to 'x:cloud' and 'x:8b:cloud' to 'x:8b-cloud' (NormalizePullName, toLegacyCloudPullName). The stack
    /// language takes the same reading, so a declared name is the one /api/tags lists and removeUndeclared keeps.
    /// </summary>
    public static (string? Canonical, string? Problem) Canonical(string written)
    {
        var (stripped, source) = CutSource(written);
        if (source is not null && CutSource(stripped).Source is not null)
        {
            return (null, "has both a ':local' and a ':cloud' suffix (Ollama refuses it: use either :local or :cloud, not both)");
        }

        return source switch
        {
            "local" => (stripped, null),
            "cloud" => (stripped + (stripped.LastIndexOf(':') > stripped.LastIndexOf('/') ? "-cloud" : ":cloud"), null),
            _ => (written, null),
        };
    }

    /// <summary>
    /// Parses as ParseNameBare does: the tag after the last ':' that follows the last '/', then model, namespace and
    /// host from the right; a 'scheme://' before the host is dropped. Missing parts take Ollama's defaults.
    /// </summary>
    public static ModelName Parse(string written)
    {
        var rest = written;
        string? tag = null;
        if (rest.LastIndexOf(':') > rest.LastIndexOf('/'))
        {
            tag = rest[(rest.LastIndexOf(':') + 1)..];
            rest = rest[..rest.LastIndexOf(':')];
        }

        var parts = rest.Split('/');
        var model = parts[^1];
        var @namespace = parts.Length >= 2 ? parts[^2] : null;
        var host = parts.Length >= 3 ? string.Join('/', parts[..^2]) : null;
        if (host is not null && host.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0)
        {
            host = host[(scheme + 3)..];
        }

        return new ModelName(written, Or(host, DefaultHost), Or(@namespace, DefaultNamespace), model, Or(tag, DefaultTag));
    }

    /// <summary>
    /// Why Ollama would refuse <paramref name="written"/> as a model name (name.go IsValid / isValidPart), or null: each
    /// part starts with a letter, digit or '_', then letters, digits, '_', '-', '.' (not in a namespace), ':' only in a
    /// host; host ≤ 350 characters, other parts ≤ 80.
    /// </summary>
    public static string? Problem(string written)
    {
        if (written.Length > 350)
        {
            return "is longer than Ollama allows";
        }

        var slash = written.LastIndexOf('/');
        if (written.AsSpan(slash + 1).Count(':') > 1)
        {
            return "has more than one ':' (a model name has at most one tag)";
        }

        var colon = written.LastIndexOf(':');
        var path = colon > slash ? written[..colon] : written;
        if (colon > slash && PartProblem(written[(colon + 1)..], "tag") is { } tagProblem)
        {
            return tagProblem;
        }

        var parts = path.Split('/');
        if (parts.Length > 3)
        {
            return "has too many '/' parts (at most host/namespace/model)";
        }

        for (var i = 0; i < parts.Length; i++)
        {
            var kind = (parts.Length - i) switch { 1 => "model", 2 => "namespace", _ => "host" };
            if (PartProblem(parts[i], kind) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    public bool Equals(ModelName? other) => other is not null && other.Key == Key;

    public override bool Equals(object? obj) => Equals(obj as ModelName);

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Written;

    private static string? PartProblem(string part, string kind)
    {
        if (part.Length == 0)
        {
            return "has an empty part";
        }

        var longest = kind == "host" ? 350 : 80;
        if (part.Length > longest)
        {
            return $"has a {kind} longer than {longest} characters";
        }

        var valid = IsWordCharacter(part[0]);
        for (var i = 1; valid && i < part.Length; i++)
        {
            var c = part[i];
            valid = IsWordCharacter(c) || c is '-' || (c is '.' && kind != "namespace") || (c is ':' && kind == "host");
        }

        return valid ? null
            : kind switch
            {
                "tag" => $"has an invalid tag '{part}'",
                "host" => $"has an invalid registry host '{part}'",
                "namespace" => $"has an invalid namespace '{part}' (letters, digits, '_', '-' only)",
                _ => $"has an invalid part '{part}' (letters, digits, '_', '.', '-' only)",
            };
    }

    /// <summary>modelref parseSourceSuffix: the text after the last ':' names the source when it is 'local', 'cloud' or a tag ending in '-cloud'.</summary>
    private static (string Base, string? Source) CutSource(string written)
    {
        var colon = written.LastIndexOf(':');
        if (colon < 0)
        {
            return (written, null);
        }

        var suffix = written[(colon + 1)..].Trim();
        return suffix.ToLowerInvariant() switch
        {
            "local" => (written[..colon], "local"),
            "cloud" => (written[..colon], "cloud"),
            var lower when !suffix.Contains('/', StringComparison.Ordinal) && lower.EndsWith("-cloud", StringComparison.Ordinal) => (written[..(colon + 1)] + suffix[..^"-cloud".Length], "cloud"),
            _ => (written, null),
        };
    }

    private static bool IsWordCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static string Or(string? value, string fallback) => string.IsNullOrEmpty(value) ? fallback : value;
}
