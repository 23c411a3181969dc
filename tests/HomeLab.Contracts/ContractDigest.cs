namespace HomeLab.Contracts;

/// <summary>One upstream contract file and the digest derived from it.</summary>
/// <param name="ReferenceFile">The upstream file's name in the reference folder.</param>
/// <param name="DigestFile">The committed digest's name in <see cref="ContractDigests.Folder"/>.</param>
/// <param name="Generate">Upstream text in, digest text out; pure and deterministic.</param>
public sealed record ContractDigest(string ReferenceFile, string DigestFile, Func<string, string> Generate)
{
    /// <summary>The committed digest as built into this assembly.</summary>
    public string Committed()
    {
        using var stream = typeof(ContractDigest).Assembly.GetManifestResourceStream("digests/" + DigestFile)
            ?? throw new InvalidOperationException($"digest {DigestFile} is not built in; run: dotnet run --project tests/HomeLab.Contracts");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
