using HomeLab.Spec;

namespace HomeLab.Tests.Spec;

public class BadStackTests
{
    public static TheoryData<string, string, string, int> Cases() => BadStackCases.All();

    public static TheoryData<string, string, string, int> KubernetesCases() => KubernetesBadStackCases.All();

    [Theory]
    [MemberData(nameof(KubernetesCases))]
    public void Each_bad_Kubernetes_stack_gets_positioned_errors_with_a_fix(string name, string yaml, string expected, int count) =>
        Each_bad_stack_gets_positioned_errors_with_a_fix(name, yaml, expected, count);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_bad_stack_gets_positioned_errors_with_a_fix(string name, string yaml, string expected, int count)
    {
        var act = () => Targets.Load("bad", yaml, "stacks/bad.yaml");

        var diagnostics = act.Should().Throw<StackFileException>($"case '{name}' must be rejected").Which.Diagnostics;
        var printed = diagnostics.Select(d => d.ToString()).ToList();
        printed[0].Should().Be("stacks/bad.yaml:" + expected, $"case '{name}' reported:\n{string.Join('\n', printed)}");
        diagnostics.Should().HaveCount(count, $"case '{name}' reported:\n{string.Join('\n', printed)}");
    }

    [Fact]
    public void The_valid_base_stack_loads()
    {
        Targets.Load("bad", BadStackCases.Valid, "stacks/bad.yaml").Instances.Should().ContainSingle();
        Targets.Load("bad", KubernetesBadStackCases.Valid, "stacks/bad.yaml").Hosts.Should().ContainSingle().Which.Should().BeOfType<KubernetesHostSpec>();
    }
}
