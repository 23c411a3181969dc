namespace HomeLab.Conventions;

/// <summary>
/// Versions pinned so that a deploy is reproducible; they match the schemas the tests check against. Messages that
/// suggest an image name these, so a hint never points at an older release.
/// </summary>
internal static class Pins
{
    public const string DockerProvider = "5.1.0";
    public const string CommandProvider = "1.2.1";
    public const string KubernetesProvider = "4.34.2";
    // Ollama v0.32.15, the newest stable tag (2026-08-19) of ollama/ollama; its release workflow
    // (.github/workflows/release.yaml, docker-merge-push) publishes the image as {{version}} and {{version}}-rocm.
    public const string OllamaVersion = "0.32.15";
    public const string OllamaImage = "ollama/ollama:" + OllamaVersion;
    public const string OllamaRocmImage = OllamaImage + "-rocm";
    public const string CaddyImage = "caddy:2.11.4";
    // Open WebUI v0.11.4 (ghcr.io/open-webui/open-webui, tags v<version>); settings cited in Conventions/WebuiEndpoints
    // and Modules/Docker/DockerWebui come from that line of backend/open_webui/env.py and config.py.
    public const string WebuiImage = "ghcr.io/open-webui/open-webui:v0.11.4";
}
