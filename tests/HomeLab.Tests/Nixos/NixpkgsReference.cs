using HomeLab.Modules;
using HomeLab.Modules.Nixos;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Nixos;

/// <summary>
/// Where real nixpkgs comes from, first found wins: <c>$HOMELAB_REFERENCE/nixpkgs</c>, then
/// <c>../shared/reference/nixpkgs</c> beside the repository (both hold lib/ per release and the shapes of the
/// ollama module), then <c>&lt;nixpkgs&gt;</c> on NIX_PATH (one full nixpkgs, as the workflows pin it). Without
/// any, the tests that need it skip with the reason; with CI=true they run and fail.
/// </summary>
internal static class NixpkgsReference
{
    /// <summary>Release name, lib folder, ollama and open-webui module shapes of the reference, as its README pairs them.</summary>
    private static readonly (string Release, string Lib, string Shape, string WebuiShape)[] ReferencePairs =
    [
        ("24.05", "2405", "G1-", "W2-"),
        ("24.11", "2411", "G2-", "W3-"),
        ("25.05", "2505", "G3-", "W4-"),
        ("25.11", "2511", "G4-", "W5-"),
        ("26.05", "2605", "G5-", "W5-"),
        ("unstable", "master", "G5-", "W5-"),
    ];

    public const string NixPathName = "<nixpkgs>";

    private static readonly Lazy<List<NixosRelease>> Found = new(Resolve);

    /// <summary>The reference folder in use, or null when nixpkgs comes from NIX_PATH or is absent.</summary>
    public static string? ReferenceDirectory { get; } = FindReferenceDirectory();

    private static bool OnNixPath =>
        (Environment.GetEnvironmentVariable("NIX_PATH") ?? "").Split(':').Any(entry => entry.StartsWith("nixpkgs=", StringComparison.Ordinal));

    /// <summary>Why the tests needing nixpkgs skip here, or null when they run.</summary>
    public static string? SkipReason() =>
        ExternalTool.SkipReason("nix-instantiate") ?? (ReferenceDirectory is null && !OnNixPath && !ExternalTool.InCi
            ? "real nixpkgs not found: set HOMELAB_REFERENCE (holding nixpkgs/), put shared/reference/nixpkgs beside the repository, " +
              "or put nixpkgs=<path or tarball URL> on NIX_PATH; skipped because CI is not 'true'"
            : null);

    /// <summary>Names of every release the tests evaluate, the unsupported ones included (theory data; resolved when run).</summary>
    public static IReadOnlyList<string> ReleaseNames() =>
        ReferenceDirectory is not null || !OnNixPath ? ReferencePairs.Select(p => p.Release).ToList() : [NixPathName];

    /// <summary>Names of the releases nix/homelab.nix supports.</summary>
    public static IReadOnlyList<string> SupportedReleaseNames() =>
        ReleaseNames().Where(IsSupported).ToList();

    public static IReadOnlyList<NixosRelease> Supported() => Found.Value.Where(r => IsSupported(r.Name)).ToList();

    /// <summary>From <see cref="NixosOllama.OldestNixosRelease"/> on (the README and the preflight say the same); &lt;nixpkgs&gt; is pinned to a newer one.</summary>
    private static bool IsSupported(string release) =>
        release is NixPathName or "unstable" || string.CompareOrdinal(release, NixosOllama.OldestNixosRelease) >= 0;

    public static NixosRelease Release(string name) =>
        Found.Value.SingleOrDefault(r => r.Name == name) ?? throw new InvalidOperationException($"nixpkgs release {name} is not in the reference in use");

    private static string? FindReferenceDirectory()
    {
        // The one place reference data is looked for (HOMELAB_REFERENCE, else exactly beside the repository).
        var dir = Repo.ReferenceDirectory is { } reference ? Path.Combine(reference, "nixpkgs") : null;
        return dir is not null && Directory.Exists(Path.Combine(dir, "lib")) && Directory.Exists(Path.Combine(dir, "ollama")) ? dir : null;
    }

    private static List<NixosRelease> Resolve()
    {
        if (ReferenceDirectory is { } dir)
        {
            var shapes = Directory.GetFiles(Path.Combine(dir, "ollama"), "*.nix");
            var webuiShapes = Directory.GetFiles(Path.Combine(dir, "open-webui"), "*.nix");
            return ReferencePairs.Select(p => new NixosRelease(
                p.Release,
                Path.Combine(dir, "lib", p.Lib),
                shapes.Single(f => Path.GetFileName(f).StartsWith(p.Shape, StringComparison.Ordinal)),
                Path.Combine(dir, "caddy", "default.nix"),
                webuiShapes.Single(f => Path.GetFileName(f).StartsWith(p.WebuiShape, StringComparison.Ordinal)))).ToList();
        }

        if (OnNixPath)
        {
            // A tarball URL on NIX_PATH is fetched into the store here; the path it resolves to holds all of nixpkgs.
            var nix = Nix.Require();
            var run = nix.Run("--eval", "--json", "-E", "toString <nixpkgs>");
            run.ExitCode.Should().Be(0, "NIX_PATH names nixpkgs, but nix-instantiate cannot resolve <nixpkgs>: {0}", run.Stderr);
            var root = System.Text.Json.JsonSerializer.Deserialize<string>(run.Stdout)!;
            return
            [
                new NixosRelease(
                    NixPathName,
                    Path.Combine(root, "lib"),
                    Path.Combine(root, "nixos", "modules", "services", "misc", "ollama.nix"),
                    Path.Combine(root, "nixos", "modules", "services", "web-servers", "caddy", "default.nix"),
                    Path.Combine(root, "nixos", "modules", "services", "misc", "open-webui.nix")),
            ];
        }

        throw new InvalidOperationException("real nixpkgs is not available and CI=true does not allow skipping: provide shared/reference/nixpkgs, HOMELAB_REFERENCE or nixpkgs on NIX_PATH");
    }
}
