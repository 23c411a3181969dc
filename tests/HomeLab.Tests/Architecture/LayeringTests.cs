using HomeLab.Tests.Architecture.Reversed.Conventions;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Architecture;

/// <summary>
/// Dependencies point one way, from the CLI inwards (README, "The house"): no namespace of the product uses one on
/// a floor above it, in its compiled code or in its source's usings.
/// </summary>
public class LayeringTests
{
    private static readonly string[] ProductFolders = ["infra", "modules"];

    [Fact]
    public void No_compiled_type_uses_a_type_of_a_floor_above_it()
    {
        var dependencies = AssemblyDependencies.Read(typeof(Compiler).Assembly.Location, "HomeLab");

        dependencies.Should().Contain(d => d.FromNamespace == "HomeLab.Cli" && d.ToNamespace == "HomeLab.Spec", "the scan must see the CLI reading stacks");
        Layers.Product.Violations(dependencies).Should().BeEmpty();
    }

    [Fact]
    public void No_source_file_names_a_namespace_of_a_floor_above_it()
    {
        var dependencies = SourceDependencies.Read(Repo.Root, ProductFolders, ProductNamespaces());

        dependencies.Should().Contain(d => d.FromNamespace == "HomeLab.Modules.Docker" && d.ToNamespace == "HomeLab.Program", "the scan must see the modules building programs");
        Layers.Product.Violations(dependencies).Should().BeEmpty();
    }

    [Fact]
    public void Every_product_namespace_is_on_a_floor()
    {
        ProductNamespaces().Where(n => Layers.Product.FloorOf(n) is null).Should().BeEmpty("a new folder belongs on one floor of the house plan");
    }

    [Fact]
    public void A_compiled_use_of_a_floor_above_is_named_with_its_place_and_both_namespaces()
    {
        var root = "HomeLab.Tests.Architecture.Reversed";
        var dependencies = AssemblyDependencies.Read(typeof(ReversedName).Assembly.Location, root);

        var violations = new Layers(root, Layers.House).Violations(dependencies);

        violations.Should().ContainSingle().Which.Should()
            .Contain("ReversedName.cs:").And
            .Contain($"{root}.Conventions (floor 0").And
            .Contain($"uses {root}.Cli.ReversedCommand of {root}.Cli (floor 8");
    }

    [Fact]
    public void A_reversed_using_in_source_is_named_with_its_file_line_and_both_namespaces()
    {
        string[] lines = ["using HomeLab.Program;", "using HomeLab.Cli;", "", "namespace HomeLab.Spec;", "", "internal static class StackLoader;"];

        var violations = Layers.Product.Violations(SourceDependencies.ReadFile("infra/Spec/StackLoader.cs", lines, ProductNamespaces()));

        violations.Should().Equal(
            "infra/Spec/StackLoader.cs:1: HomeLab.Spec (floor 1, HomeLab.Spec) uses HomeLab.Program of HomeLab.Program (floor 3, HomeLab.Program), a floor above it",
            "infra/Spec/StackLoader.cs:2: HomeLab.Spec (floor 1, HomeLab.Spec) uses HomeLab.Cli of HomeLab.Cli (floor 8, HomeLab.Cli), a floor above it");
    }

    [Fact]
    public void A_fully_qualified_name_of_a_floor_above_is_caught_too()
    {
        string[] lines = ["namespace HomeLab.Conventions;", "", "    public static int Port => HomeLab.Modules.Pins.OllamaPort;"];

        var violations = Layers.Product.Violations(SourceDependencies.ReadFile("infra/Conventions/Ports.cs", lines, ProductNamespaces()));

        violations.Should().ContainSingle().Which.Should().StartWith("infra/Conventions/Ports.cs:3: HomeLab.Conventions (floor 0, HomeLab.Conventions) uses HomeLab.Modules.Pins.OllamaPort of HomeLab.Modules (floor 5");
    }

    private static HashSet<string> ProductNamespaces() =>
        typeof(Compiler).Assembly.GetTypes()
            .Select(t => t.Namespace)
            .OfType<string>()
            .Where(n => n.StartsWith("HomeLab", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
}
