using System.Text.RegularExpressions;

using HomeLab.Tests.Support;

namespace HomeLab.Tests.Conventions;

/// <summary>
/// Names, ports, credential variables, hook routing and SSH options are spelled in infra/Conventions only: a
/// second spelling elsewhere in product code is how two places drift apart (timeouts of 15, 15 and 10 seconds;
/// two constants for 11434). Comments may mention them; code may not.
/// </summary>
public class ConventionLiteralTests
{
    /// <summary>Each family with the spellings that betray it.</summary>
    private static readonly (string Family, Regex Spelling)[] Families =
    [
        ("Ollama's port", new Regex(@"\b11434\b")),
        ("credential variable prefix", new Regex(@"HOMELAB_(BEARER|APIKEY|BASIC)|\^HOMELAB_")),
        ("instance pinning header", new Regex("X-HomeLab-Instance", RegexOptions.IgnoreCase)),
        ("SSH option", new Regex("BatchMode=|ConnectTimeout=")),
        ("engine-wide resource name", new Regex(@"""homelab-\{|homelab-\{[^}]*\}(_|-proxy|-internal|-egress|-edge|-caddy-data)|-caddy-data""")),
        ("models volume name", new Regex(@"\}-models""")),
        ("Docker label", new Regex(@"""homelab\.(stack|host|instance|role|healthcheck)""")),
        ("launcher script", new Regex(@"infra/Launch/homelab\.sh")),
        ("hooks-through-the-proxy decision", new Regex(@"Hooks(\.Via\s+is|\s+is\s+\{[^}]*Via:)\s+HookPath\.Proxy")),
    ];

    /// <summary>
    /// Spellings that stay, each with its reason: the program's logical resource name for a models volume happens to
    /// read like the volume's default name but is a different fact (the name in the program, not on the engine).
    /// Whether the hooks go through the proxy is read off the stack's own settings, so its one home is the stack model
    /// (<c>StackSpec.HooksThroughProxy</c>): Conventions takes plain values and knows nothing of stacks.
    /// </summary>
    private static readonly (string File, string Family)[] Pending =
    [
        ("DockerOllama.cs", "models volume name"),
        ("StackSpec.cs", "hooks-through-the-proxy decision"),
    ];

    private static readonly string[] ProductFolders = ["infra", "modules"];

    [Fact]
    public void Conventions_are_spelled_only_in_infra_Conventions()
    {
        var conventions = Path.Combine(Repo.Root, "infra", "Conventions") + Path.DirectorySeparatorChar;
        var found = ProductFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repo.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.StartsWith(conventions, StringComparison.Ordinal))
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (File: file, Line: index + 1, Text: line)))
            .Where(line => !line.Text.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .SelectMany(line => Families.Where(f => f.Spelling.IsMatch(line.Text)).Select(f => (line.File, line.Line, f.Family, line.Text)))
            .Where(hit => !Pending.Contains((Path.GetFileName(hit.File), hit.Family)))
            .Select(hit => $"{Path.GetRelativePath(Repo.Root, hit.File)}:{hit.Line}: {hit.Family}: {hit.Text.Trim()}")
            .ToList();

        found.Should().BeEmpty("these facts have their home in infra/Conventions; use it instead of spelling them again");
    }

    [Fact]
    public void The_scan_sees_a_spelling_it_must_refuse()
    {
        // The patterns themselves, against the forms the issue found in the code before Conventions existed.
        string[] before =
        [
            "public const int ContainerPort = 11434;",
            "variables.FirstOrDefault(c => c.Variable.StartsWith(\"HOMELAB_BEARER_\", StringComparison.Ordinal))",
            "script.Append(\"! grep -qv '^HOMELAB_[A-Za-z0-9_]*=' \\\"$tmp\\\" || fail \");",
            "public const string InstanceHeader = \"X-HomeLab-Instance\";",
            "(\"sshOpts\", new ListValue(\"-o\", \"BatchMode=yes\", \"-o\", \"ConnectTimeout=15\"))),",
            "(\"name\", $\"homelab-{spec.Name}_{instance.Name}\"),",
            "public static string ContainerName(StackSpec spec) => $\"homelab-{spec.Name}-proxy\";",
            "return new StorageSpec($\"{instance}-models\", null);",
            "new([new MapValue((\"label\", \"homelab.stack\"), (\"value\", stack))",
            "public const string Script = \"infra/Launch/homelab.sh\";",
            "var pinned = spec.Hooks is { Enabled: true, Via: HookPath.Proxy }",
            "if (spec.Hooks.Via is HookPath.Proxy && spec.Proxy is { } proxy)",
        ];

        before.Where(line => !Families.Any(f => f.Spelling.IsMatch(line))).Should().BeEmpty();
    }
}
