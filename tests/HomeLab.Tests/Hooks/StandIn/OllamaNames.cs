namespace HomeLab.Tests.Hooks.StandIn;

/// <summary>
/// Model names as Ollama reads them, written from ollama types/model/name.go (v0.12.6) independently of the product's
/// own ModelName, so the hooks are checked against Ollama's rules rather than against themselves.
/// </summary>
internal static class OllamaNames
{
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

    private static (string Before, string After) CutLast(string s, char sep)
    {
        var i = s.LastIndexOf(sep);
        return (Or(s[..i], "!MISSING!"), Or(s[(i + 1)..], "!MISSING!"));
    }

    private static string Or(string value, string fallback) => value.Length > 0 ? value : fallback;
}
