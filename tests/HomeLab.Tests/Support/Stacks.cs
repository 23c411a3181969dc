using HomeLab.Spec;

namespace HomeLab.Tests.Support;

internal static class Stacks
{
    public static StackSpec Load(string name) =>
        Targets.Load(name, File.ReadAllText(Path.Combine(Repo.Stacks, name + ".yaml")), $"stacks/{name}.yaml");

    public static StackSpec Parse(string yaml, string name = "test") => Targets.Load(name, yaml, $"stacks/{name}.yaml");
}
