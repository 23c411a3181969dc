using HomeLab.Tests.Support;

namespace HomeLab.Tests.Docker;

/// <summary>A fact that needs a running Docker engine: skipped with the reason outside CI when there is none; under CI=true it runs (and .ci/run starts dockerd).</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (ExternalTool.DeclaredUnavailable("docker") is { } declared)
        {
            Skip = declared;
        }
        else if (!ExternalTool.InCi && DockerCli.Unavailable() is { } reason)
        {
            Skip = $"{reason}; skipped because CI is not 'true' (.ci/run starts dockerd)";
        }
    }
}
