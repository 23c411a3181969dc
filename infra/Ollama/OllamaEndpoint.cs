namespace HomeLab.Ollama;

/// <summary>
/// Where an Ollama API answers and what every request carries: <see cref="Headers"/> always, <see cref="Credentials"/>
/// except on the deliberate request without credentials. Credential values never appear in a message.
/// </summary>
internal sealed record OllamaEndpoint(Uri BaseUrl, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Credentials)
{
    public Uri Root { get; } = BaseUrl.AbsoluteUri.EndsWith('/') ? BaseUrl : new Uri(BaseUrl.AbsoluteUri + "/");

    /// <summary>
    /// Scrubs every credential, raw and JSON-escaped, from text on its way out; of a value such as "Bearer TOKEN" only
    /// the part after the scheme is secret.
    /// </summary>
    public string Redact(string text)
    {
        foreach (var value in Credentials.Values.Select(v => v.Split(' ')[^1]).Where(v => v.Length > 0))
        {
            text = text.Replace(value, "***", StringComparison.Ordinal)
                .Replace(System.Text.Json.JsonEncodedText.Encode(value).ToString(), "***", StringComparison.Ordinal);
        }

        return text;
    }
}
