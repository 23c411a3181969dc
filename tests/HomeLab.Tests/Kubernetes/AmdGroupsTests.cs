using HomeLab.Conventions;
using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Kubernetes;

/// <summary>
/// The groups that own the AMD device nodes differ between distributions (render is 109 on Ubuntu, another number
/// elsewhere), so a Kubernetes host may state them; non-root AMD pods get them as supplemental groups.
/// </summary>
public class AmdGroupsTests
{
    private static readonly string K3s = File.ReadAllText(Path.Combine(Repo.Stacks, "k3s.yaml"));

    [Fact]
    public void The_default_is_video_and_render_as_on_debian_and_ubuntu_and_only_amd_pods_get_them()
    {
        var objects = KubernetesObjects.Of(ProgramEmitter.Emit(Compiler.Compile(Stacks.Load("k3s"))));

        Groups(objects, "coder").Should().Equal(KubernetesNames.AmdDeviceGroups).And.Equal(44L, 109L);
        Groups(objects, "chat").Should().BeNull("an NVIDIA pod reaches its GPU through the nvidia runtime, not device groups");
    }

    [Fact]
    public void A_host_that_states_its_groups_gives_those_to_amd_pods_and_diff_names_the_setting()
    {
        var spec = Stacks.Parse(K3s.Replace("    runtimeClass: nvidia\n", "    runtimeClass: nvidia\n    amdGroups: [44, 992]\n", StringComparison.Ordinal), "k3s");

        var objects = KubernetesObjects.Of(ProgramEmitter.Emit(Compiler.Compile(spec)));

        spec.Hosts.OfType<KubernetesHostSpec>().Single().AmdGroups.Should().Equal(44L, 992L);
        Groups(objects, "coder").Should().Equal(44L, 992L);
        var changes = HomeLab.Review.SpecDiff.Compare(Stacks.Load("k3s"), spec);
        changes.SelectMany(c => c.Settings).Should().ContainSingle(s => s.Setting == "amdGroups").Which.After.Should().Be("[44, 992]");
    }

    private static List<long>? Groups(IReadOnlyList<KubernetesObjects.KubernetesObject> objects, string instance) =>
        objects.Single(o => o.Resource == $"{instance}-statefulset").Body["spec"]!["template"]!["spec"]!["securityContext"]!["supplementalGroups"]?.AsArray().Select(g => g!.GetValue<long>()).ToList();
}
