using FsCheck;
using FsCheck.Fluent;

using static HomeLab.Tests.ProgramValidation.StackGenerator;

namespace HomeLab.Tests.ProgramValidation;

/// <summary>
/// Random stacks on one Kubernetes cluster: the cluster settings (kubeconfig, context, namespace, classes, GPU
/// resource, proxy Service type) each present or left to their defaults, 1–8 instances with GPUs of every vendor,
/// counts, replicas, node selectors, limits, claim sizes, tuning, environment and models, the proxy on the
/// cluster routing each instance (Kubernetes instances are reachable only through it), and maybe a front end beside it.
/// </summary>
internal static class KubernetesStackGenerator
{
    private static readonly string[] ClusterNames = ["k3s", "cluster", "proxy", "yes", "lab-k8s"];

    public static Gen<string> Stack() =>
        from host in Gen.Elements(ClusterNames)
        from gpuResource in Gen.Elements<string?>(null, null, "nvidia.com/gpu", "nvidia.com/mig-1g.10gb", "nvidia.com/gpu.shared", "amd.com/gpu", "gpu.intel.com/xe")
        from cluster in Cluster(host, gpuResource)
        from count in Gen.Choose(1, 8)
        from names in Gen.Shuffle(InstanceNames)
        from instances in Gen.CollectToList(names.Take(count), name => Instance(name, host, gpuResource))
        from proxy in StackGenerator.Proxy(host, names.Take(count).ToList(), onCluster: true)
        from hooks in Gen.Elements("", "hooks: { via: proxy, readyTimeout: 10m }\n", "hooks: { enabled: false }\n")
        from webui in Webui(host)
        select $"hosts:\n{cluster}instances:\n{string.Concat(instances)}{proxy}{hooks}{webui}";

    /// <summary>No front end, or one with its own accounts (the generated proxy may have no basic-auth users), its claim size, image and OpenAI APIs each set or not.</summary>
    private static Gen<string> Webui(string host) =>
        from present in Gen.Elements(false, true)
        from storage in Gen.Elements("", "  storage: { size: 20GiB }\n")
        from image in Gen.Elements("", "  image: \"registry.lan:5000/open-webui/open-webui:v0.11.4\"\n")
        from openAi in Gen.Elements("", "  openaiApi: true\n")
        select present
            ? $"webui:\n  host: {Q(host)}\n  domain: chat.example.org\n  signIn: webui\n  adminEmail: admin@example.org\n  adminPassword: webuiAdmin\n{storage}{image}{openAi}"
            : "";

    private static Gen<string> Cluster(string name, string? gpuResource) =>
        from kubeconfig in Gen.Elements("", "    kubeconfig: ~/.kube/k3s.yaml\n", "    kubeconfig: /etc/rancher/k3s/k3s.yaml\n")
        from context in Gen.Elements("", "    context: default\n", "    context: \"admin@home:k3s\"\n")
        from ns in Gen.Elements("", "    namespace: ollama\n", "    namespace: \"yes\"\n")
        from storage in Gen.Elements("", "    storageClass: local-path\n", "    storageClass: longhorn.v2\n")
        from runtime in Gen.Elements("", "    runtimeClass: nvidia\n", "    runtimeClass: nvidia-cdi\n")
        from service in Gen.Elements("", "    proxyService: LoadBalancer\n", "    proxyService: NodePort\n", "    proxyService: ClusterIP\n")
        select $"  {Q(name)}:\n    kind: kubernetes\n    address: 192.168.1.40\n{kubeconfig}{context}{ns}{storage}{runtime}{service}"
            + (gpuResource is null ? "" : $"    gpuResource: {gpuResource}\n");

    private static Gen<string> Instance(string name, string host, string? gpuResource) =>
        from gpu in gpuResource is null
            ? Gen.Elements("", "nvidia", "{ vendor: nvidia, count: 2 }", "amd", "{ vendor: amd, count: 1 }", "intel", "none")
            : Gen.Elements("", "none", $"{{ vendor: {gpuResource.Split('.')[0] switch { "nvidia" => "nvidia", "amd" => "amd", _ => "intel" }}, count: 1 }}")
        from image in gpu.Contains("amd", StringComparison.Ordinal)
            ? Gen.Elements<string?>(null, "ollama/ollama:0.12.6-rocm")
            : Gen.Elements<string?>(null, "ollama/ollama:0.12.6", "registry.lan:5000/ollama/ollama:0.12.6")
        from replicas in Gen.Elements("", "    replicas: 1\n", "    replicas: 3\n")
        from selector in Gen.Elements("", "    nodeSelector: { homelab.dev/gpu: nvidia }\n", "    nodeSelector: { kubernetes.io/hostname: rig, zone: \"\" }\n")
        from resources in Optional(Fields(
            ("memory", Gen.Elements("512MiB", "8GiB", "1.5GiB", "768 MiB")),
            ("cpus", Gen.Elements("4", "0.5", "2.25", "0.25", "1.5")),
            ("shm", Gen.Elements("64MiB", "2GiB"))))
        from storage in Gen.Elements("", "    storage: { size: 200GiB }\n", "    storage: { size: 1.5TiB }\n")
        from tuning in Optional(Fields(("keepAlive", Gen.Elements("5m", "\"-1\"")), ("numParallel", Gen.Choose(1, 8).Select(Number)), ("flashAttention", Gen.Elements("true", "false"))))
        from env in Optional(Fields(("HTTPS_PROXY", Gen.Elements(EnvValues).Select(Q)), ("TZ", Gen.Elements(EnvValues).Select(Q))))
        from models in Models()
        select $"  {Q(name)}:\n    host: {Q(host)}\n"
            + (gpu.Length > 0 ? $"    gpu: {gpu}\n" : "")
            + (image is null ? "" : $"    image: {Q(image)}\n")
            + replicas + selector
            + (resources.Length > 0 ? $"    resources: {resources}\n" : "")
            + storage
            + (tuning.Length > 0 ? $"    tuning: {tuning}\n" : "")
            + (env.Length > 0 ? $"    env: {env}\n" : "")
            + models;
}
