using System.Formats.Tar;
using System.Text.RegularExpressions;

using HomeLab.Tests.Support;

namespace HomeLab.Tests.Docker;

/// <summary>
/// Images built on this machine without any registry: a root file system holding Debian's own binaries (caddy,
/// curl, a POSIX sh) and exactly the shared libraries ldd says they load, imported with <c>docker import</c>.
/// </summary>
internal static partial class LocalImages
{
    private static readonly string[] Binaries = ["/usr/bin/caddy", "/usr/bin/curl", "/bin/sh"];
    private static readonly string[] Directories = ["/etc/caddy", "/data", "/config", "/tmp", "/root"];

    /// <summary>
    /// Caddy as the official image runs it (caddyserver/caddy-docker, Dockerfile: XDG_CONFIG_HOME=/config,
    /// XDG_DATA_HOME=/data, CMD caddy run --config /etc/caddy/Caddyfile --adapter caddyfile); curl is there for probes.
    /// </summary>
    public static void BuildCaddy(string tag) =>
        Import(tag, new Dictionary<string, string>(),
            "ENV XDG_CONFIG_HOME=/config", "ENV XDG_DATA_HOME=/data",
            "CMD [\"caddy\", \"run\", \"--config\", \"/etc/caddy/Caddyfile\", \"--adapter\", \"caddyfile\"]");

    /// <summary>
    /// The Ollama stand-in: listens on Ollama's port and relays every request to <paramref name="upstream"/>, where
    /// the test's contract-checked Ollama stand-in answers. Its /usr/bin/ollama answers the program's healthcheck
    /// ('ollama list' asks the server; so does this, through the port).
    /// </summary>
    public static void BuildOllamaStandIn(string tag, string upstream) =>
        Import(tag, new Dictionary<string, string> { ["/usr/bin/ollama"] = "#!/bin/sh\nexec curl -fsS -o /dev/null http://127.0.0.1:11434/api/tags\n" },
            "ENV XDG_CONFIG_HOME=/config", "ENV XDG_DATA_HOME=/data",
            $"CMD [\"caddy\", \"reverse-proxy\", \"--from\", \":11434\", \"--to\", \"{upstream}\"]");

    /// <summary>
    /// Open WebUI's image as far as its user and its data matter (Dockerfile, stored version @08d67bf0): built as root
    /// (ARG UID=0), WORKDIR /app/backend, HOME=/root (Debian's, mode 700), a root-owned data directory with content
    /// (the image keeps model caches under /app/backend/data/cache), curl and jq (its runtime stage installs both) and
    /// a POSIX sh with the coreutils the one-shot and the checks use. Its CMD does what Open WebUI's start needs a writable place for: its database and a private
    /// directory under DATA_DIR, a cache under HOME, and /health answered from the scratch tmpfs (the status file can
    /// be rewritten by a test) on Open WebUI's port.
    /// </summary>
    public static void BuildWebuiStandIn(string tag) =>
        Import(tag, new Dictionary<string, string> { ["/app/backend/data/cache/embedding/models/model.bin"] = "weights\n" }, ["/usr/bin/jq", "/usr/bin/chown", "/usr/bin/touch", "/usr/bin/mkdir", "/usr/bin/stat", "/usr/bin/id"], ["/app/backend", "/app/backend/data/cache/embedding/models"], ["/root"],
            "WORKDIR /app/backend", "ENV HOME=/root", "ENV PORT=8080",
            "CMD [\"sh\", \"-c\", \"set -e; touch /app/backend/data/webui.db; mkdir -p -m 700 /app/backend/data/uploads/private; mkdir -p \\\"$HOME/.cache\\\" /tmp/www; printf '{\\\"status\\\":true}' > /tmp/www/health; exec caddy file-server --root /tmp/www --listen :$PORT\"]");

    private static void Import(string tag, IReadOnlyDictionary<string, string> scripts, params string[] changes) =>
        Import(tag, scripts, [], [], [], changes);

    private static void Import(string tag, IReadOnlyDictionary<string, string> files, string[] extraBinaries, string[] extraDirectories, string[] privateDirectories, params string[] changes)
    {
        var tarball = Path.Combine(Directory.CreateTempSubdirectory("homelab-rootfs-").FullName, "rootfs.tar");
        try
        {
            WriteRootfs(tarball, files, extraBinaries, extraDirectories, privateDirectories);
            DockerCli.Run(["import", .. changes.SelectMany(c => new[] { "--change", c }), tarball, tag]);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(tarball)!, recursive: true);
        }
    }

    /// <summary>
    /// A root file system of root-owned entries: the binaries and their libraries, <paramref name="scripts"/> (path →
    /// text, mode 755), the usual and <paramref name="extraDirectories"/> (755; /tmp 1777) and
    /// <paramref name="privateDirectories"/> (700, as Debian's /root).
    /// </summary>
    private static void WriteRootfs(string tarball, IReadOnlyDictionary<string, string> scripts, string[] extraBinaries, string[] extraDirectories, string[] privateDirectories)
    {
        var binaries = Binaries.Concat(extraBinaries).ToList();
        var files = binaries.Concat(binaries.SelectMany(Libraries)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var directories = files.Concat(scripts.Keys).SelectMany(Parents).Concat(Directories).Concat(extraDirectories).Concat(privateDirectories).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        using var stream = File.Create(tarball);
        using var tar = new TarWriter(stream, TarEntryFormat.Pax);
        foreach (var directory in directories)
        {
            var mode = privateDirectories.Contains(directory) ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                : Executable | (directory == "/tmp" ? UnixFileMode.OtherWrite | UnixFileMode.GroupWrite | UnixFileMode.StickyBit : 0);
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, directory.TrimStart('/') + "/") { Mode = mode });
        }

        foreach (var file in files)
        {
            // The path as the loader asks for it, with the content of the file it resolves to (ldd names symlinks).
            using var content = File.OpenRead(file);
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, file.TrimStart('/')) { Mode = Executable, DataStream = content });
        }

        foreach (var (path, text) in scripts)
        {
            using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path.TrimStart('/')) { Mode = Executable, DataStream = content });
        }
    }

    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>The shared libraries and the loader <paramref name="binary"/> needs, as ldd lists them.</summary>
    private static IEnumerable<string> Libraries(string binary)
    {
        var ldd = ProcessRunner.Run("ldd", [binary], Path.GetTempPath());
        ldd.ExitCode.Should().Be(0, $"ldd {binary}: {ldd.Stderr}");
        return LibraryPath().Matches(ldd.Stdout).Select(m => m.Groups["path"].Value);
    }

    private static IEnumerable<string> Parents(string path)
    {
        for (var parent = Path.GetDirectoryName(path); parent is not null and not "/"; parent = Path.GetDirectoryName(parent))
        {
            yield return parent;
        }
    }

    [GeneratedRegex(@"(^\s*|=> )(?<path>/\S+) \(0x", RegexOptions.Multiline)]
    private static partial Regex LibraryPath();
}
