namespace HomeLab.Tests.Hooks.StandIn;

/// <summary>
/// Model names as Ollama reads them, written from ollama types/model/name.go and internal/modelref/modelref.go
/// (v0.32.15) independently of the product's own ModelName, so the hooks are checked against Ollama's rules rather
/// than against themselves.
/// </summary>
internal static class OllamaNames
{
    /// <summary>
    /// modelref.go ParseRef: a last ':local' or ':cloud' (any case, spaces trimmed), or a last tag ending in
    /// '-cloud', is the source, and the rest is the name; a second source suffix under the first is a conflict
    /// (ErrConflictingSourceSuffix). Source is "local", "cloud" or null.
    /// </summary>
    public static (string Base, string? Source, bool Conflict) Ref(string raw)
    {
        raw = raw.Trim();
        var (name, source) = Suffix(raw);
        return (name, source, source is not null && Suffix(name).Source is not null);
    }

    /// <summary>modelref.go NormalizePullName (pull and delete): a cloud name in the legacy form its stub is stored under, 'x:cloud' or 'x:tag-cloud'.</summary>
    public static string PullName(string raw)
    {
        var (name, source, _) = Ref(raw);
        return source is not "cloud" ? name : name.LastIndexOf(':') > name.LastIndexOf('/') ? name + "-cloud" : name + ":cloud";
    }

    /// <summary>A name whose tag is a cloud stub's (the legacy form NormalizePullName gives).</summary>
    public static bool IsCloudStub(string name)
    {
        var tag = Parse(name).Tag;
        return tag.Equals("cloud", StringComparison.OrdinalIgnoreCase) || tag.EndsWith("-cloud", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>name.go ParseName: ParseNameBare (cut the tag after the last ':' past the last '/', then model,
    /// namespace and host from the right, dropping a scheme) merged with DefaultName.</summary>
    public static (string Host, string Namespace, string Model, string Tag) Parse(string s)
    {
        var tag = "";
        if (s.LastIndexOf(':') > s.LastIndexOf('/'))
        {
            (s, tag) = CutLast(s, ':');
        }

        string model, space = "", host = "";
        var slash = s.LastIndexOf('/');
        if (slash < 0)
        {
            model = s;
        }
        else
        {
            (s, model) = CutLast(s, '/');
            if (s.LastIndexOf('/') < 0)
            {
                space = s;
            }
            else
            {
                (host, space) = CutLast(s, '/');
                host = host.Contains("://", StringComparison.Ordinal) ? host[(host.IndexOf("://", StringComparison.Ordinal) + 3)..] : host;
            }
        }

        return (Or(host, "registry.ollama.ai"), Or(space, "library"), model, Or(tag, "latest"));
    }

    /// <summary>name.go IsValid / isValidPart.</summary>
    public static bool IsValid(string s)
    {
        var (host, space, model, tag) = Parse(s);
        return Part(host, 350, ':') && Part(space, 80, null, dots: false) && Part(model, 80, null) && Part(tag, 80, null);
    }

    /// <summary>name.go DisplayShortest: the host and namespace left out when they are the defaults.</summary>
    public static string Shortest(string s)
    {
        var (host, space, model, tag) = Parse(s);
        return !host.Equals("registry.ollama.ai", StringComparison.OrdinalIgnoreCase) ? $"{host}/{space}/{model}:{tag}"
            : !space.Equals("library", StringComparison.OrdinalIgnoreCase) ? $"{space}/{model}:{tag}"
            : $"{model}:{tag}";
    }

    /// <summary>name.go EqualFold: every part equal ignoring case.</summary>
    public static bool SameModel(string a, string b) => Parse(a).ToString().Equals(Parse(b).ToString(), StringComparison.OrdinalIgnoreCase);

    private static bool Part(string part, int longest, char? extra, bool dots = true) =>
        part.Length is > 0 && part.Length <= longest && (char.IsAsciiLetterOrDigit(part[0]) || part[0] == '_')
        && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' || (c == '.' && dots) || c == extra);

    /// <summary>modelref.go parseSourceSuffix.</summary>
    private static (string Name, string? Source) Suffix(string raw)
    {
        var i = raw.LastIndexOf(':');
        if (i < 0)
        {
            return (raw, null);
        }

        var after = raw[(i + 1)..].Trim();
        var lower = after.ToLowerInvariant();
        return lower is "local" or "cloud" ? (raw[..i], lower)
            : !after.Contains('/', StringComparison.Ordinal) && lower.EndsWith("-cloud", StringComparison.Ordinal) ? (raw[..(i + 1)] + after[..^6], "cloud")
            : (raw, null);
    }

    private static (string Before, string After) CutLast(string s, char sep)
    {
        var i = s.LastIndexOf(sep);
        return (Or(s[..i], "!MISSING!"), Or(s[(i + 1)..], "!MISSING!"));
    }

    private static string Or(string value, string fallback) => value.Length > 0 ? value : fallback;
}
