using HomeLab.Conventions;

namespace HomeLab.Tests.Support;

/// <summary>
/// The two builds the launcher (infra/Launch/homelab.sh) makes of the repository under test: the native binary and
/// the ReadyToRun build. Each is built at most once per test run, by the launcher itself with HOMELAB_BUILD set, and
/// every test that runs the real program goes through <see cref="Run"/>, which reuses it.
/// </summary>
public static class LaunchedBuild
{
    public const string Native = Launcher.NativeBuild;
    public const string ReadyToRun = Launcher.ReadyToRunBuild;
    public const string Variable = Launcher.BuildVariable;

    private static readonly Dictionary<string, Lazy<ProcessResult>> Builds = new(StringComparer.Ordinal)
    {
        [Native] = new(() => Launch(Native, ["--version"], Repo.Root, null, TimeSpan.FromMinutes(20))),
        [ReadyToRun] = new(() => Launch(ReadyToRun, ["--version"], Repo.Root, null, TimeSpan.FromMinutes(20))),
    };

    /// <summary>Why a test of the native build skips here (no clang, outside CI), or null when it must run.</summary>
    public static string? NativeSkipReason() => ExternalTool.SkipReason("clang");

    /// <summary>The native binary, built on first use.</summary>
    public static string NativeBinary => Path.Combine(Built(Native), "homelab");

    /// <summary>Runs <c>homelab ARGUMENTS</c> through the launcher as Pulumi does, in the given build.</summary>
    public static ProcessResult Run(string form, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        Built(form);
        return Launch(form, arguments, workingDirectory, environment, TimeSpan.FromMinutes(10));
    }

    /// <summary>The output folder of a build, which is made (or found up to date) first; a failed build fails the test.</summary>
    public static string Built(string form)
    {
        var build = Builds[form].Value;
        build.ExitCode.Should().Be(0, $"the launcher builds the {form} build: {build.Stderr}");
        return Path.Combine(Repo.Root, "bin", form == Native ? "launch-native" : "launch");
    }

    private static ProcessResult Launch(string form, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout)
    {
        var variables = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>()) { [Variable] = form };
        return ProcessRunner.Run("sh", [Path.Combine(Repo.Root, Launcher.Script), .. arguments], workingDirectory, variables, timeout);
    }
}
