using HomeLab.Tests.Support;


namespace HomeLab.Tests.Nixos;

public class NixParseTests
{
    private static List<string> NixFilePaths() =>
        new[] { "nix", Path.Combine("tests", "HomeLab.Tests", "Nixos") }
            .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(Repo.Root, dir), "*.nix", SearchOption.AllDirectories))
            .Select(path => Path.GetRelativePath(Repo.Root, path))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static TheoryData<string> NixFiles() => new(NixFilePaths());

    [Fact]
    public void The_nix_folder_holds_the_module()
    {
        NixFilePaths().Should().Contain(Path.Combine("nix", "homelab.nix"));
    }

    [ToolTheory("nix-instantiate")]
    [MemberData(nameof(NixFiles))]
    public void Every_nix_file_parses(string file)
    {
        var nix = Nix.Require();

        var run = nix.Run("--parse", Path.Combine(Repo.Root, file));

        run.ExitCode.Should().Be(0, "nix-instantiate --parse should accept {0}, but said: {1}", file, run.Stderr);
    }

    [ToolFact("nix-instantiate")]
    public void The_parse_check_rejects_a_broken_file()
    {
        var nix = Nix.Require();

        using var broken = new TempFile("{ config, ... }: { services.ollama.enable = true; ");

        var run = nix.Run("--parse", broken.Path);

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain("syntax error");
    }
}
