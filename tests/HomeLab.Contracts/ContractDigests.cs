namespace HomeLab.Contracts;

/// <summary>The contracts the project carries as digests, and where they are committed.</summary>
public static class ContractDigests
{
    /// <summary>The digests' folder, relative to the repository root.</summary>
    public const string Folder = "tests/HomeLab.Contracts/digests";

    public static ContractDigest Docker { get; } = new("pulumi-docker.schema.json", "docker.json", ProviderDigest.Generate);

    public static ContractDigest Command { get; } = new("pulumi-command.schema.json", "command.json", ProviderDigest.Generate);

    public static ContractDigest Ollama { get; } = new("ollama-openapi.yaml", "ollama.json", OllamaDigest.Generate);

    public static ContractDigest KubernetesProvider { get; } = new("pulumi-kubernetes/provider.d.ts", "kubernetes-provider.json", KubernetesDigest.GenerateProvider);

    public static ContractDigest KubernetesResources { get; } = new("pulumi-kubernetes/resource-types.txt", "kubernetes-resources.json", KubernetesDigest.GenerateResources);

    public static IReadOnlyList<ContractDigest> All { get; } = [Docker, Command, Ollama, KubernetesProvider, KubernetesResources];
}
