using HomeLab.Deploy;
using HomeLab.Deploy.Kubernetes;
using HomeLab.Spec;
using HomeLab.Tests.Support;
using HomeLab.Tests.Support.Kubernetes;

using k8s.Models;

using static HomeLab.Tests.Support.Kubernetes.KubernetesObjects;

namespace HomeLab.Tests.Deploy;

/// <summary>
/// The Kubernetes preflight against the API server stand-in: every finding at the position of the setting to change,
/// with its fix; the kubeconfig's token never in the output.
/// </summary>
public sealed class KubernetesPreflightTests : RunningServers, IDisposable
{
    private const string File = "stacks/k3s.yaml";
    private static readonly SourceMark HostAt = new(3, 3);
    private static readonly SourceMark KubeconfigAt = new(5, 5);
    private static readonly SourceMark ContextAt = new(6, 5);
    private static readonly SourceMark NamespaceAt = new(7, 5);
    private static readonly SourceMark StorageAt = new(8, 5);
    private static readonly SourceMark RuntimeAt = new(9, 5);
    private static readonly SourceMark GpuAt = new(14, 7);
    private static readonly SourceMark MemoryAt = new(17, 7);
    private static readonly SourceMark ReplicasAt = new(18, 5);
    private static readonly SourceMark SelectorAt = new(19, 5);
    private static readonly KubernetesProbeOptions Quick = new(3, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(5));

    private static readonly Dictionary<string, string> OwnLabels = new() { ["app.kubernetes.io/managed-by"] = "homelab", ["app.kubernetes.io/instance"] = "k3s" };

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("homelab-kube-");

    public void Dispose() => directory.Delete(recursive: true);

    private static V1NodeFor NvidiaNode => new("gpu-nvidia", 32 * GiB, "nvidia.com/gpu", 1);

    private async Task<KubernetesApiStandIn> K3s(params V1NodeFor[] nodes) =>
        Track(await KubernetesApiStandIn.StartK3sAsync([.. nodes.Select(n => n.Build())]));

    private static ClusterSettings Cluster(string kubeconfig, string? context = null, string ns = "homelab", string? storageClass = null, string runtimeClass = "nvidia") =>
        new(File, "k3s", HostAt, kubeconfig, KubeconfigAt, context, ContextAt, ns, NamespaceAt, OwnLabels, storageClass, StorageAt, runtimeClass, RuntimeAt);

    private static KubernetesWorkload Workload(string name = "ollama-nvidia", GpuVendor vendor = GpuVendor.Nvidia, string? resource = "nvidia.com/gpu", int count = 1, long? memory = 16 * GiB, int replicas = 1, IReadOnlyDictionary<string, string>? selector = null) =>
        new(name, new SourceMark(12, 3), vendor, resource, count, GpuAt, memory, MemoryAt, replicas, ReplicasAt, selector ?? new Dictionary<string, string>(), SelectorAt);

    private static string Run(ClusterSettings cluster, params KubernetesWorkload[] workloads) => Run(cluster, out _, workloads);

    private static string Run(ClusterSettings cluster, out PreflightReport report, params KubernetesWorkload[] workloads)
    {
        report = KubernetesPreflight.Run(new KubernetesTarget(cluster, workloads), Quick);
        using var output = new StringWriter();
        report.WriteTo(output);
        return output.ToString();
    }

    [Fact]
    public async Task A_k3s_cluster_with_the_device_plugin_runtime_class_and_local_path_passes()
    {
        var cluster = await K3s(NvidiaNode, new V1NodeFor("cpu-only", 16 * GiB));
        cluster.Namespaces["homelab"] = Namespace("homelab", stack: "k3s");

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName)), out var report, Workload());

        report.Passed.Should().BeTrue(output);
        output.Should().Be($"host 'k3s': ok (Kubernetes v1.31.4+k3s1 at {cluster.Url.GetLeftPart(UriPartial.Authority)}, 2 node(s), namespace 'homelab')\n");
        cluster.Requests.Should().Equal(
            "GET /version/",
            "GET /api/v1/namespaces/homelab",
            "POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
            "GET /apis/storage.k8s.io/v1/storageclasses",
            "GET /apis/node.k8s.io/v1/runtimeclasses/nvidia",
            "GET /api/v1/nodes");
    }

    [Fact]
    public async Task A_missing_runtime_class_is_reported_at_the_runtime_class_setting_with_the_toolkit_fix()
    {
        var cluster = await K3s(NvidiaNode);
        cluster.RuntimeClasses.Clear();
        cluster.RuntimeClasses.Add(RuntimeClass("crun"));

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName)), out var report, Workload());

        report.Problems.Should().ContainSingle();
        output.Should().Be(
            $"{File}:9:5: host 'k3s': RuntimeClass 'nvidia' does not exist (the cluster has crun); the pods of 'ollama-nvidia' would be refused, or run without the GPU — " +
            "install the NVIDIA Container Toolkit on the GPU node and restart k3s there (k3s finds the nvidia runtime at start and offers RuntimeClass 'nvidia'); " +
            "elsewhere create a RuntimeClass with handler nvidia; or set runtimeClass to one the cluster has\n");
        cluster.Requests.Should().Contain("GET /apis/node.k8s.io/v1/runtimeclasses", "the other classes are listed to name them");
    }

    [Fact]
    public async Task Instances_without_an_nvidia_gpu_do_not_need_the_runtime_class()
    {
        var cluster = await K3s(new V1NodeFor("gpu-amd", 64 * GiB, "amd.com/gpu", 1));
        cluster.RuntimeClasses.Clear();

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName)), out var report, Workload("ollama-amd", GpuVendor.Amd, "amd.com/gpu"));

        report.Passed.Should().BeTrue(output);
        cluster.Requests.Should().NotContain(r => r.Contains("runtimeclasses", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_allocatable_gpu_anywhere_asks_for_the_nvidia_device_plugin_at_the_gpu_setting()
    {
        var cluster = await K3s(new V1NodeFor("gpu-nvidia", 32 * GiB));

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName)), Workload());

        output.Should().Be(
            $"{File}:14:7: host 'k3s': instance 'ollama-nvidia' asks for 1 nvidia.com/gpu per replica, and no node offers any allocatable nvidia.com/gpu (no device plugin advertises it) — " +
            $"install the NVIDIA device plugin on the GPU node(s) ({DevicePluginAdvice.Nvidia}; on k3s after the NVIDIA Container Toolkit, with runtimeClassName nvidia) and check 'kubectl describe node' lists nvidia.com/gpu under Allocatable\n");
    }

    [Theory]
    [InlineData("Amd", "amd.com/gpu", "install the AMD GPU device plugin", DevicePluginAdvice.Amd)]
    [InlineData("Intel", "gpu.intel.com/i915", "install the Intel GPU device plugin", DevicePluginAdvice.Intel)]
    [InlineData("Nvidia", "nvidia.com/mig-1g.10gb", "enable MIG on the GPU and run the NVIDIA device plugin with migStrategy 'mixed'", DevicePluginAdvice.Nvidia)]
    [InlineData("Nvidia", "nvidia.com/gpu.shared", "configure time-slicing in the NVIDIA device plugin with renameByDefault: true", DevicePluginAdvice.Nvidia)]
    public async Task Each_gpu_resource_gets_the_advice_of_the_plugin_that_advertises_it(string vendor, string resource, string fix, string plugin)
    {
        var cluster = await K3s(NvidiaNode);

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName)), Workload("ollama", Enum.Parse<GpuVendor>(vendor), resource));

        output.Should().Contain($"{File}:14:7: host 'k3s': instance 'ollama' asks for 1 {resource} per replica, and no node offers any allocatable {resource} (no device plugin advertises it; nodes offer nvidia.com/gpu) — {fix}")
            .And.Contain(plugin);
    }

    [Fact]
    public async Task An_unknown_storage_class_is_reported_at_its_setting_naming_the_classes_there_are()
    {
        var cluster = await K3s(NvidiaNode);
        cluster.StorageClasses.Add(StorageClass("nfs-client", provisioner: "cluster.local/nfs-subdir-external-provisioner"));

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName), storageClass: "fast-ssd"), Workload());

        output.Should().Be(
            $"{File}:8:5: host 'k3s': storage class 'fast-ssd' does not exist (the cluster has local-path (default), nfs-client); the model volumes' claims would stay Pending — " +
            "set storageClass to one of local-path, nfs-client, or remove it to use the cluster's default 'local-path'\n");
    }

    [Fact]
    public async Task A_named_storage_class_that_exists_passes_without_a_default()
    {
        var cluster = await K3s(NvidiaNode);
        cluster.StorageClasses.Clear();
        cluster.StorageClasses.Add(StorageClass("longhorn", provisioner: "driver.longhorn.io"));

        Run(Cluster(cluster.WriteKubeconfig(directory.FullName), storageClass: "longhorn"), out var report, Workload());

        report.Passed.Should().BeTrue();
    }

    [Fact]
    public async Task No_default_storage_class_is_reported_where_storage_class_would_go_with_the_patch_that_makes_one()
    {
        var cluster = await K3s(NvidiaNode);
        cluster.StorageClasses.Clear();
        cluster.StorageClasses.Add(StorageClass("local-path"));

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName)), Workload());

        output.Should().Be(
            $"{File}:8:5: host 'k3s': no storageClass is named and the cluster has no default storage class (it has local-path); the model volumes' claims would stay Pending — " +
            "name one with storageClass (local-path), or make one the default: kubectl patch storageclass local-path -p '{\"metadata\":{\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"true\"}}}'\n");
    }

    [Fact]
    public async Task The_beta_default_annotation_still_counts_as_a_default()
    {
        var cluster = await K3s(NvidiaNode);
        cluster.StorageClasses.Clear();
        var old = StorageClass("standard");
        old.Metadata.Annotations = new Dictionary<string, string> { ["storageclass.beta.kubernetes.io/is-default-class"] = "true" };
        cluster.StorageClasses.Add(old);

        Run(Cluster(cluster.WriteKubeconfig(directory.FullName)), out var report, Workload());

        report.Passed.Should().BeTrue();
    }

    [Fact]
    public async Task A_missing_namespace_the_user_may_not_create_is_reported_at_the_namespace_setting()
    {
        var cluster = await K3s(NvidiaNode);
        cluster.Denied.Add("create namespaces");

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName), ns: "ollama"), Workload());

        output.Should().Be(
            $"{File}:7:5: host 'k3s': namespace 'ollama' does not exist, and the kubeconfig's user may not create namespaces — " +
            "create it once as a cluster admin (kubectl create namespace ollama), or set namespace to one that exists and the user may deploy into\n");
    }

    [Fact]
    public async Task A_missing_namespace_the_user_may_create_passes_and_says_it_will_be_created()
    {
        var cluster = await K3s(NvidiaNode);

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName), ns: "ollama"), out var report, Workload());

        report.Passed.Should().BeTrue(output);
        output.Should().EndWith("namespace 'ollama', to be created)\n");
    }

    [Fact]
    public async Task An_existing_namespace_the_user_may_not_deploy_into_is_reported()
    {
        var cluster = await K3s(NvidiaNode);
        cluster.Denied.Add("create statefulsets");
        cluster.Namespaces["homelab"] = Namespace("homelab", stack: "k3s");

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName)), Workload());

        output.Should().StartWith($"{File}:7:5: host 'k3s': the kubeconfig's user may not create StatefulSets in namespace 'homelab' — grant it the edit role there");
    }

    /// <summary>The program creates the namespace, and the provider's create of an existing one fails (pulumi-kubernetes provider/pkg/await/await.go, Creation: AlreadyExists).</summary>
    [Fact]
    public async Task A_namespace_this_stack_did_not_create_is_reported_because_creating_it_would_fail()
    {
        var cluster = await K3s(NvidiaNode);

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName), ns: "default"), Workload());

        output.Should().Be(
            $"{File}:7:5: host 'k3s': namespace 'default' already exists and this stack did not create it (it lacks app.kubernetes.io/managed-by=homelab, app.kubernetes.io/instance=k3s); " +
            "the deploy creates its namespace and would fail with AlreadyExists — name a namespace that does not exist yet (or remove namespace to use the stack's own), " +
            "or delete the existing one if it is empty (kubectl delete namespace default)\n");
    }

    [Fact]
    public void An_unreachable_cluster_is_retried_then_reported_once_at_the_kubeconfig_setting()
    {
        var kubeconfig = Kubeconfig.Write(directory.FullName, $"http://127.0.0.1:{FreePort.OnLoopback()}", "gone", "fake-token-never-printed");

        var output = Run(Cluster(kubeconfig), out var report, Workload());

        report.Problems.Should().BeEmpty();
        report.Unreachable.Should().ContainSingle();
        output.Should().MatchRegex(
            $"^{File}:5:5: host 'k3s': the cluster at http://127\\.0\\.0\\.1:\\d+ \\(context 'gone'\\) does not answer \\(Connection refused.*\\) after 3 attempt\\(s\\) — " +
            "check that the cluster runs and this machine reaches it \\(kubectl get nodes with the same kubeconfig and context\\); k3s: systemctl status k3s on the server, port 6443 open\n$");
        output.Should().NotContain("fake-token-never-printed");
    }

    [Fact]
    public async Task An_api_server_that_answers_503_twice_is_retried_and_passes()
    {
        var cluster = await K3s(NvidiaNode);
        cluster.FailNext = 2;

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName)), out var report, Workload());

        report.Passed.Should().BeTrue(output);
        cluster.Requests.Take(3).Should().Equal("GET /version/", "GET /version/", "GET /version/");
    }

    [Fact]
    public async Task An_address_that_answers_404_where_the_api_should_be_is_one_line_at_the_kubeconfig_setting_not_an_exception()
    {
        var cluster = await K3s(NvidiaNode);
        cluster.FailNext = 1;
        cluster.FailWith = new V1Status { Status = "Failure", Code = 404, Reason = "NotFound", Message = "the server could not find the requested resource" };

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName)), out var report, Workload());

        report.Problems.Should().BeEmpty();
        report.Unreachable.Should().ContainSingle();
        output.Should().StartWith($"{File}:5:5: host 'k3s': the cluster at {cluster.Url.GetLeftPart(UriPartial.Authority)} (context 'homelab-test') answered the server could not find the requested resource after 1 attempt(s) — ");
        cluster.Requests.Should().Equal(["GET /version/"], "a 404 is not worth another try");
    }

    [Fact]
    public async Task Rejected_credentials_are_reported_at_the_context_setting_without_printing_the_token()
    {
        var cluster = await K3s(NvidiaNode);
        var kubeconfig = cluster.WriteKubeconfig(directory.FullName, "k3s-admin", token: "fake-token-expired-0123456789");

        var output = Run(Cluster(kubeconfig, context: "k3s-admin"), out var report, Workload());

        report.Problems.Should().ContainSingle();
        output.Should().Be(
            $"{File}:6:5: host 'k3s': the cluster at {cluster.Url.GetLeftPart(UriPartial.Authority)} (context 'k3s-admin') refused the kubeconfig's credentials (401 Unauthorized) — " +
            "renew the credentials (k3s: copy /etc/rancher/k3s/k3s.yaml from the server again; a token may have expired or been revoked), or name a context whose user the cluster knows\n");
        output.Should().NotContain("fake-token-expired").And.NotContain(cluster.Token);
        cluster.Requests.Should().Equal(["GET /version/"], "a 401 is not retried");
    }

    [Fact]
    public async Task A_context_the_kubeconfig_lacks_is_reported_at_the_context_setting_with_the_ones_it_has()
    {
        var cluster = await K3s(NvidiaNode);

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName, "default"), context: "k3s-prod"), Workload());

        output.Should().Be($"{File}:6:5: host 'k3s': the kubeconfig has no context 'k3s-prod' (its contexts: default) — set context to one of them, or remove it to use the kubeconfig's current context\n");
        cluster.Requests.Should().BeEmpty();
    }

    [Fact]
    public void A_kubeconfig_that_is_missing_or_not_yaml_is_reported_at_the_kubeconfig_setting_without_quoting_it()
    {
        var missing = Path.Combine(directory.FullName, "nowhere.yaml");
        Run(Cluster(missing), Workload()).Should().StartWith($"{File}:5:5: host 'k3s': there is no kubeconfig at {missing} — point kubeconfig at the cluster's file (k3s writes /etc/rancher/k3s/k3s.yaml");

        var broken = Path.Combine(directory.FullName, "broken.yaml");
        System.IO.File.WriteAllText(broken, "users:\n- name: x\n  user: {token: fake-secret-in-a-broken-file\n");
        var output = Run(Cluster(broken), Workload());
        output.Should().StartWith($"{File}:5:5: host 'k3s': {broken} is not a readable kubeconfig (YAML error at line").And.NotContain("fake-secret");
    }

    [Fact]
    public async Task Too_few_gpus_on_any_one_node_is_reported_at_the_gpu_count()
    {
        var cluster = await K3s(NvidiaNode, new V1NodeFor("gpu-2", 32 * GiB, "nvidia.com/gpu", 1));

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName)), Workload(count: 2));

        output.Should().Be($"{File}:14:7: host 'k3s': instance 'ollama-nvidia' asks for 2 nvidia.com/gpu per replica, and the most one node offers is 1 (gpu-nvidia) — set count to at most 1; a pod's GPUs all come from one node\n");
    }

    [Fact]
    public async Task Replicas_count_against_gpus_and_memory_of_every_ready_schedulable_node()
    {
        var cluster = await K3s(
            new V1NodeFor("gpu-a", 64 * GiB, "nvidia.com/gpu", 2),
            new V1NodeFor("gpu-b", 20 * GiB, "nvidia.com/gpu", 2),
            new V1NodeFor("gpu-cordoned", 64 * GiB, "nvidia.com/gpu", 4) { Cordoned = true },
            new V1NodeFor("gpu-down", 64 * GiB, "nvidia.com/gpu", 4) { Ready = false });

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName)), Workload(replicas: 4));

        output.Should().Be($"{File}:18:5: host 'k3s': instance 'ollama-nvidia' asks for 4 replicas, and the nodes hold at most 3 of them (gpu-a: 2, gpu-b: 1) by GPUs and memory — set replicas to at most 3, or add GPUs or nodes\n");
    }

    [Fact]
    public async Task More_memory_than_any_node_has_is_reported_at_the_memory_setting()
    {
        var cluster = await K3s(NvidiaNode);

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName)), Workload(memory: 48 * GiB));

        output.Should().Be($"{File}:17:7: host 'k3s': instance 'ollama-nvidia' asks for memory 48 GiB per replica, and the largest node has 32 GiB allocatable (gpu-nvidia) — set memory to at most 32 GiB, or add a node with more memory\n");
    }

    [Fact]
    public async Task A_node_selector_that_picks_no_gpu_node_is_reported_at_the_node_selector()
    {
        var cluster = await K3s(NvidiaNode, new V1NodeFor("cpu-only", 16 * GiB) { Labels = new Dictionary<string, string> { ["homelab/pool"] = "cpu" } });

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName)), Workload(selector: new Dictionary<string, string> { ["homelab/pool"] = "cpu" }));

        output.Should().Be($"{File}:19:5: host 'k3s': instance 'ollama-nvidia' asks for nvidia.com/gpu, and no node its nodeSelector picks offers it (nodes that do: gpu-nvidia) — widen nodeSelector to a GPU node, or label one to match\n");
    }

    [Fact]
    public async Task Nodes_the_user_may_not_list_are_a_warning_and_the_rest_is_still_checked()
    {
        var cluster = await K3s(NvidiaNode);
        cluster.Denied.Add("list nodes");

        var output = Run(Cluster(cluster.WriteKubeconfig(directory.FullName), storageClass: "fast"), out var report, Workload());

        report.Warnings.Should().ContainSingle().Which.ToString().Should().Be(
            $"{File}:3:3: warning: host 'k3s': could not read nodes (nodes is forbidden: User \"homelab-tester\" cannot list resource \"nodes\" in API group \"\" at the cluster scope), so that part was not checked — " +
            "grant the kubeconfig's user read access to it (get/list), or check it by hand; the deploy goes ahead as it is");
        report.Problems.Should().ContainSingle().Which.Problem.Should().Contain("storage class 'fast' does not exist");
        output.Should().NotContain(cluster.Token);
    }

    /// <summary>A node to put in the stand-in: memory, optionally one device resource, labels, readiness.</summary>
    private sealed record V1NodeFor(string Name, long Memory, string? Resource = null, long Count = 0)
    {
        public IReadOnlyDictionary<string, string>? Labels { get; init; }

        public bool Ready { get; init; } = true;

        public bool Cordoned { get; init; }

        public k8s.Models.V1Node Build() => Node(Name, Memory, Resource is null ? null : new Dictionary<string, long> { [Resource] = Count }, Labels, Ready, Cordoned);
    }
}
