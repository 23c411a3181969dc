using System.Text.Json;
using System.Text.Json.Nodes;

using HomeLab.Contracts;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Contracts;

/// <summary>
/// The committed digests are exactly what the tool derives from the reference data: a provider bump without a
/// refreshed digest, or a digest edited by hand, fails here (refresh: dotnet run --project tests/HomeLab.Contracts).
/// </summary>
public class DigestSyncTests
{
    public static TheoryData<string> Digests() => new(ContractDigests.All.Select(d => d.DigestFile));

    [ReferenceTheory]
    [MemberData(nameof(Digests))]
    public void The_committed_digest_is_the_one_derived_from_the_reference_data(string digestFile)
    {
        var digest = ContractDigests.All.Single(d => d.DigestFile == digestFile);

        Difference(digest, Committed(digest)).Should().BeNull();
    }

    [ReferenceFact]
    public void A_digest_edited_by_hand_is_caught()
    {
        var digest = ContractDigests.Command;
        var edited = Committed(digest).Replace("\"addPreviousOutputInEnv\": {\"type\":\"boolean\"}", "\"addPreviousOutputInEnv\": {\"type\":\"string\"}", StringComparison.Ordinal);
        edited.Should().NotBe(Committed(digest), "the edit must change the digest for this test to mean anything");

        Difference(digest, edited).Should().Contain("addPreviousOutputInEnv");
    }

    [Fact]
    public void The_built_in_digest_is_the_committed_file()
    {
        foreach (var digest in ContractDigests.All)
        {
            digest.Committed().Should().Be(Committed(digest), $"{digest.DigestFile} is embedded at build time");
        }
    }

    [Fact]
    public void Digests_carry_facts_and_no_upstream_prose()
    {
        foreach (var digest in ContractDigests.All)
        {
            // Facts are names, tokens, types and enum values; a description or example would bring sentences.
            var words = Strings(JsonNode.Parse(Committed(digest))).Where(s => s.Contains(' ', StringComparison.Ordinal)).ToList();
            words.Should().BeEmpty(digest.DigestFile);
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject map => map.SelectMany(p => Strings(p.Value).Prepend(p.Key)),
        JsonArray list => list.SelectMany(Strings),
        JsonValue value when value.GetValueKind() is JsonValueKind.String => [value.GetValue<string>()],
        _ => [],
    };

    private static string Committed(ContractDigest digest) =>
        File.ReadAllText(Path.Combine(Repo.Root, ContractDigests.Folder, digest.DigestFile));

    /// <summary>Null when <paramref name="committed"/> is what the reference data gives, else the first differing line of each.</summary>
    private static string? Difference(ContractDigest digest, string committed)
    {
        var derived = digest.Generate(File.ReadAllText(Repo.ReferenceFile(digest.ReferenceFile)));
        if (derived == committed)
        {
            return null;
        }

        var (want, have) = (derived.Split('\n'), committed.Split('\n'));
        var line = Enumerable.Range(0, Math.Max(want.Length, have.Length)).First(i => i >= want.Length || i >= have.Length || want[i] != have[i]);
        return $"{ContractDigests.Folder}/{digest.DigestFile} differs from the digest of {digest.ReferenceFile} at line {line + 1}:\n"
            + $"  derived:   {(line < want.Length ? want[line] : "<end>")}\n  committed: {(line < have.Length ? have[line] : "<end>")}\n"
            + "refresh it from the repository root: dotnet run --project tests/HomeLab.Contracts";
    }
}
