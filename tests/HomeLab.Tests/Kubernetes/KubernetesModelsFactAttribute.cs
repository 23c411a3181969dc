using HomeLab.Tests.Support;

namespace HomeLab.Tests.Kubernetes;

/// <summary>
/// A fact that runs kubernetes-models with node: skipped with the reason outside CI when node or the npm package
/// (npm ci in tests/HomeLab.Tests/Kubernetes/models) is missing; with CI=true it runs and fails instead.
/// </summary>
public sealed class KubernetesModelsFactAttribute : FactAttribute
{
    public static readonly string Folder = Path.Combine(Repo.Root, "tests", "HomeLab.Tests", "Kubernetes", "models");

    public KubernetesModelsFactAttribute()
    {
        Skip = ExternalTool.SkipReason("node")
            ?? (!ExternalTool.InCi && !Directory.Exists(Path.Combine(Folder, "node_modules", "kubernetes-models"))
                ? $"kubernetes-models is not installed (run 'npm ci' in {Folder}; .ci/run does); skipped because CI is not 'true'"
                : null);
    }
}
