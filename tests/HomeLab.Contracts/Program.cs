// Writes the contract digests from the reference data: dotnet run --project tests/HomeLab.Contracts (from the
// repository root). The reference folder is HOMELAB_REFERENCE, else ../shared/reference beside the repository.
using HomeLab.Contracts;

var root = Directory.GetCurrentDirectory();
if (!File.Exists(Path.Combine(root, "HomeLab.csproj")))
{
    Console.Error.WriteLine("run this from the repository root: dotnet run --project tests/HomeLab.Contracts");
    return 2;
}

if (ReferenceLocation.Find(root) is not { } reference)
{
    Console.Error.WriteLine($"no reference data at {ReferenceLocation.Expected(root)}: place the upstream files there or set {ReferenceLocation.Variable}");
    return 2;
}

foreach (var digest in ContractDigests.All)
{
    var target = Path.Combine(root, ContractDigests.Folder, digest.DigestFile);
    var text = digest.Generate(File.ReadAllText(Path.Combine(reference, digest.ReferenceFile)));
    var state = File.Exists(target) && File.ReadAllText(target) == text ? "unchanged" : "written";
    File.WriteAllText(target, text);
    Console.WriteLine($"{ContractDigests.Folder}/{digest.DigestFile}: {state} (from {digest.ReferenceFile})");
}

return 0;
