namespace HomeLab.Modules;

/// <summary>Versions pinned so that a deploy is reproducible; they match the schemas the tests check against.</summary>
internal static class Pins
{
    public const string DockerProvider = "5.1.0";
    public const string CommandProvider = "1.2.1";
    public const string KubernetesProvider = "4.34.2";
    // Ollama v0.32.15, the newest stable tag (2026-08-19) of ollama/ollama; its release workflow
    // (.github/workflows/release.yaml, docker-merge-push) publishes the image as {{version}} and {{version}}-rocm.
    public const string OllamaImage = "ollama/ollama:0.32.15";
    public const string OllamaRocmImage = "ollama/ollama:0.32.15-rocm";
    public const string CaddyImage = "caddy:2.11.4";
}
