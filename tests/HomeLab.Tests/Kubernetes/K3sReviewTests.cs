using HomeLab.Cli;
using HomeLab.Cli.Views;
using HomeLab.Tests.Support;
using HomeLab.Tools;
using HomeLab.Workspace;

namespace HomeLab.Tests.Kubernetes;

/// <summary>
/// What a reviewer sees of the k3s example before anything deploys: <c>homelab plan</c> and the program diff the CI
/// posts on a pull request (the workflow's "homelab diff --format markdown" step; the Pulumi preview job beside it
/// needs the cluster and a backend and runs only where they exist).
/// </summary>
public sealed class K3sReviewTests : IDisposable
{
    private readonly TempRepo repo = TempRepo.WithExamples();

    public void Dispose() => repo.Dispose();

    [Fact]
    public void Plan_shows_the_cluster_its_instances_its_front_end_and_their_kubernetes_resources_in_the_stack_files_words()
    {
        var result = ProcessRunner.Homelab(Repo.Root, null, "plan", "k3s");

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Contain("k3s kubernetes default of ~/.kube/k3s.yaml, namespace homelab, proxy service LoadBalancer · 192.168.1.40")
            .And.Contain("ollama chat · gpu nvidia×1 · mem 24GiB · cpus 6 · 1 replica(s), each with a 200GiB volume of class local-path · 1 × nvidia.com/gpu · on nodes with homelab.dev/gpu=nvidia")
            .And.Contain("ollama coder · gpu amd×1 · mem 16GiB · cpus 4.5 · 1 replica(s), each with a 100GiB volume of class local-path · 1 × amd.com/gpu · on nodes with homelab.dev/gpu=amd")
            .And.Contain("kubernetes:networking.k8s.io/v1:NetworkPolicy k3s-policy")
            .And.Contain("kubernetes:apps/v1:StatefulSet chat-statefulset")
            .And.Contain("kubernetes:core/v1:Service chat-headless")
            .And.Contain("kubernetes:apps/v1:Deployment proxy-deployment")
            .And.Contain("data: claim webui-data, 10GiB of class local-path")
            .And.Contain("kubernetes:apps/v1:Deployment webui-deployment")
            .And.Contain("kubernetes:networking.k8s.io/v1:NetworkPolicy webui-from-proxy");
    }

    [Fact]
    public void The_pull_request_diff_of_a_scale_up_shows_the_replicas_the_new_pod_routes_and_that_the_hooks_run_again()
    {
        repo.Git("checkout", "--quiet", "-b", "feature");
        repo.Edit("stacks/k3s.yaml", "    nodeSelector:\n      homelab.dev/gpu: nvidia", "    replicas: 2\n    nodeSelector:\n      homelab.dev/gpu: nvidia");
        repo.Commit("two replicas of chat");

        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = DiffCommand.Run(new ProjectDirectory(repo.Root), new DiffRequest("main", DiffFormat.Markdown, ["k3s"]), SystemToolRunner.Instance, output, errors);

        code.Should().Be(1, errors.ToString());
        var diff = output.ToString();
        diff.Should().Contain("| + | `instance chat` | `replicas` | _(none)_ | `2` |")
            .And.Contain("| ~ | `chat-statefulset` | `kubernetes:apps/v1:StatefulSet` | 1 change | updated in place |")
            .And.Contain("| `spec.replicas` | `1` | `2` |")
            .And.Contain("+\t\t\treverse_proxy ollama-chat-1.pods-chat.homelab.svc:11434 {")
            .And.Contain("runs again: chat-hooks");
        diff.Should().NotContain("warning: instance 'chat' is recreated", "scaling a StatefulSet updates it in place and keeps replica 0's volume");
    }
}
