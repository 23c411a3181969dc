namespace HomeLab.Modules;

/// <summary>Versions pinned so that a deploy is reproducible; they match the schemas the tests check against.</summary>
internal static class Pins
{
    public const string DockerProvider = "5.1.0";
    public const string CommandProvider = "1.2.1";
    public const string OllamaImage = "ollama/ollama:0.12.6";
    public const string OllamaRocmImage = "ollama/ollama:0.12.6-rocm";
    public const string CaddyImage = "caddy:2.11.4";
}
