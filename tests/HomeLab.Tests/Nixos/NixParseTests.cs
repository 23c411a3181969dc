using HomeLab.Tests.Support;

using Xunit.Abstractions;

namespace HomeLab.Tests.Nixos;

public class NixParseTests(ITestOutputHelper output)
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

    [Theory]
    [MemberData(nameof(NixFiles))]
    public void Every_nix_file_parses(string file)
    {
        if (Nix.Find(output) is not { } nix)
        {
            return;
        }

        var run = nix.Run("--parse", Path.Combine(Repo.Root, file));

        run.ExitCode.Should().Be(0, "nix-instantiate --parse should accept {0}, but said: {1}", file, run.Stderr);
    }

    [Fact]
    public void The_parse_check_rejects_a_broken_file()
    {
        if (Nix.Find(output) is not { } nix)
        {
            return;
        }

        using var broken = new TempFile("{ config, ... }: { services.ollama.enable = true; ");

        var run = nix.Run("--parse", broken.Path);

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain("syntax error");
    }
}
