namespace HomeLab.Tests.Nixos;

/// <summary>One NixOS release to evaluate the module against: nixpkgs' lib of that release and its ollama, caddy and open-webui modules.</summary>
internal sealed record NixosRelease(string Name, string Lib, string OllamaModule, string CaddyModule, string WebuiModule);
