using HomeLab.Cli;
using HomeLab.Tests.Support;
using HomeLab.Tests.Support.Kubernetes;
using HomeLab.Workspace;

using static HomeLab.Tests.Support.Kubernetes.KubernetesObjects;

namespace HomeLab.Tests.Deploy;

/// <summary>
/// <c>homelab check k3s</c> (and the preflight before up): the example stack against the Kubernetes API stand-in,
/// each finding at the line of stacks/k3s.yaml to change.
/// </summary>
public sealed class KubernetesCheckCommandTests : RunningServers, IDisposable
{
    private readonly TempRepo repo = TempRepo.WithExamples();
    private readonly StringWriter output = new();

    public void Dispose()
    {
        output.Dispose();
        repo.Dispose();
    }

    /// <summary>The example's two nodes: 'tower' labelled for NVIDIA, 'rig' for AMD with the AMD device plugin's resource.</summary>
    private async Task<KubernetesApiStandIn> Cluster(long nvidiaGpus)
    {
        var cluster = Track(await KubernetesApiStandIn.StartK3sAsync(
            Node("tower", 32 * GiB, nvidiaGpus > 0 ? new Dictionary<string, long> { ["nvidia.com/gpu"] = nvidiaGpus } : null, new Dictionary<string, string> { ["homelab.dev/gpu"] = "nvidia" }),
            Node("rig", 32 * GiB, new Dictionary<string, long> { ["amd.com/gpu"] = 1 }, new Dictionary<string, string> { ["homelab.dev/gpu"] = "amd" })));
        repo.Edit("stacks/k3s.yaml", "kubeconfig: ~/.kube/k3s.yaml\n", $"kubeconfig: {cluster.WriteKubeconfig(repo.Root, "default")}\n");
        return cluster;
    }

    private int Check() => CheckCommand.Run(new FakeTools(), new ProjectDirectory(repo.Root), "k3s", output);

    /// <summary>"line:column" of the first line of stacks/k3s.yaml that starts (after its indent) with <paramref name="text"/>.</summary>
    private string At(string text)
    {
        var lines = repo.Read("stacks/k3s.yaml").Split('\n');
        var index = Array.FindIndex(lines, l => l.TrimStart().StartsWith(text, StringComparison.Ordinal));
        index.Should().BeGreaterThanOrEqualTo(0, $"stacks/k3s.yaml has '{text}'");
        return $"{index + 1}:{lines[index].Length - lines[index].TrimStart().Length + 1}";
    }

    [Fact]
    public async Task The_example_fits_a_k3s_cluster_with_its_device_plugins_runtime_class_and_local_path()
    {
        var cluster = await Cluster(nvidiaGpus: 1);

        Check().Should().Be(ExitCodes.Ok, output.ToString());

        output.ToString().Should().Be($"host 'k3s': ok (Kubernetes v1.31.4+k3s1 at {cluster.Url.GetLeftPart(UriPartial.Authority)}, 2 node(s), namespace 'homelab', to be created)\n");
    }

    [Fact]
    public async Task Check_k3s_reports_the_missing_runtime_class_device_plugin_and_storage_class_each_at_its_line()
    {
        var cluster = await Cluster(nvidiaGpus: 0);
        cluster.RuntimeClasses.Clear();
        cluster.StorageClasses.Clear();
        cluster.StorageClasses.Add(StorageClass("longhorn", isDefault: true, provisioner: "driver.longhorn.io"));

        Check().Should().Be(ExitCodes.BadInput, output.ToString());

        var gpu = repo.Read("stacks/k3s.yaml").Split('\n').Select((l, i) => (l, i)).First(x => x.l.Trim() == "gpu:").i;
        output.ToString().Should().Be(
            $"stacks/k3s.yaml:{At("storageClass: local-path")}: host 'k3s': storage class 'local-path' does not exist (the cluster has longhorn (default)); the model volumes' claims would stay Pending — " +
            "set storageClass to one of longhorn, or remove it to use the cluster's default 'longhorn'\n" +
            $"stacks/k3s.yaml:{At("runtimeClass: nvidia")}: host 'k3s': RuntimeClass 'nvidia' does not exist (the cluster has none); the pods of 'chat' would be refused, or run without the GPU — " +
            "install the NVIDIA Container Toolkit on the GPU node and restart k3s there (k3s finds the nvidia runtime at start and offers RuntimeClass 'nvidia'); elsewhere create a RuntimeClass with handler nvidia; or set runtimeClass to one the cluster has\n" +
            $"stacks/k3s.yaml:{gpu + 1}:5: host 'k3s': instance 'chat' asks for 1 nvidia.com/gpu per replica, and no node offers any allocatable nvidia.com/gpu (no device plugin advertises it; nodes offer amd.com/gpu) — " +
            $"install the NVIDIA device plugin on the GPU node(s) ({HomeLab.Deploy.Kubernetes.DevicePluginAdvice.Nvidia}; on k3s after the NVIDIA Container Toolkit, with runtimeClassName nvidia) and check 'kubectl describe node' lists nvidia.com/gpu under Allocatable\n");
        output.ToString().Should().NotContain(cluster.Token);
    }

    [Fact]
    public async Task Up_stops_before_pulumi_when_the_cluster_lacks_what_the_stack_needs()
    {
        var cluster = await Cluster(nvidiaGpus: 0);
        var tools = new FakeTools();
        var environment = new Dictionary<string, string?> { ["PULUMI_CONFIG_PASSPHRASE"] = "x", ["PULUMI_HOME"] = "/nonexistent/pulumi-home" };

        var exit = new HomeLab.Deploy.PulumiSession(tools, environment, output).Run(new ProjectDirectory(repo.Root), new HomeLab.Deploy.PulumiRequest(HomeLab.Deploy.PulumiVerb.Up, "k3s", true, []));

        exit.Should().Be(ExitCodes.BadInput, output.ToString());
        output.ToString().Should().Contain("homelab up: stack 'k3s' does not fit its host(s); nothing was deployed:")
            .And.Contain("instance 'chat' asks for 1 nvidia.com/gpu per replica, and no node offers any allocatable nvidia.com/gpu");
        tools.Ran.Should().NotContain(r => r.ToString().StartsWith("pulumi up", StringComparison.Ordinal));
        cluster.Requests.Should().Contain("GET /api/v1/nodes");
    }
}
