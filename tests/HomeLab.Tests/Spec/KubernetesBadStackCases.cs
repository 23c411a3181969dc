namespace HomeLab.Tests.Spec;

/// <summary>Kubernetes hosts: bad cluster settings and instance settings that make no sense on a cluster, each with its first diagnostic and count.</summary>
public static class KubernetesBadStackCases
{
    /// <summary>A valid Kubernetes stack; the host's settings start at line 4, the instance's at line 8.</summary>
    public const string Valid = """
        hosts:
          k3s:
            kind: kubernetes
            address: 192.168.1.40
        instances:
          ollama:
            host: k3s
            gpu: nvidia
            models:
              - llama3.2:3b
        proxy:
          host: k3s
          routes:
            - to: [ollama]

        """;

    /// <summary>The valid stack with <paramref name="lines"/> added to host 'k3s' at line 4.</summary>
    public static string WithHost(string lines) => Valid.Replace("    address:", lines + "\n    address:", StringComparison.Ordinal);

    /// <summary>The valid stack with <paramref name="lines"/> added to instance 'ollama' at line 8.</summary>
    public static string WithInstance(string lines) => Valid.Replace("    gpu: nvidia", lines + "\n    gpu: nvidia", StringComparison.Ordinal);

    /// <summary>The valid stack with a front end (Open WebUI's own accounts, as its proxy has no users) at line 15, with <paramref name="lines"/> added.</summary>
    public static string WithWebui(string lines) => Valid + "webui:\n  host: k3s\n  domain: chat.home.arpa\n  signIn: webui\n  adminEmail: admin@home.arpa\n  adminPassword: adminPassword\n" + lines;

    public static TheoryData<string, string, string, int> All() => new()
    {
        { "kubeconfig with a space", WithHost("    kubeconfig: \"~/my configs/k3s.yaml\""), "4:17: host 'k3s' kubeconfig '~/my configs/k3s.yaml' is not valid — write a path such as ~/.kube/k3s.yaml or /etc/rancher/k3s/k3s.yaml", 1 },
        { "namespace that is not a DNS label", WithHost("    namespace: Home_Lab"), "4:16: host 'k3s' namespace 'Home_Lab' is not valid — write a DNS label: lower-case letters, digits and '-', at most 63, such as homelab", 1 },
        { "GPU resource no device plugin offers", WithHost("    gpuResource: nvidia.com/gpus"), "4:18: host 'k3s' gpuResource 'nvidia.com/gpus' is not valid — write nvidia.com/gpu, nvidia.com/gpu.shared, a MIG profile such as nvidia.com/mig-1g.10gb, amd.com/gpu, gpu.intel.com/i915 or gpu.intel.com/xe", 1 },
        { "GPU resource of another vendor", WithHost("    gpuResource: amd.com/gpu"), "7:3: instance 'ollama' has a nvidia GPU, but Kubernetes host 'k3s' gives pods 'amd.com/gpu' — remove 'gpuResource' from host 'k3s' to use nvidia.com/gpu, or declare a second host on the same cluster for this vendor", 1 },
        { "proxy service type in lower case", WithHost("    proxyService: loadbalancer"), "4:19: host 'k3s' proxyService 'loadbalancer' is not one of LoadBalancer, NodePort, ClusterIP — did you mean 'LoadBalancer'?", 1 },
        { "Docker setting on a cluster", WithHost("    engine: local"), "4:5: 'engine' does not apply to host 'k3s' — remove it; a Kubernetes host is reached through 'kubeconfig' and 'context'", 1 },
        { "Kubernetes setting on a Docker host", BadStackCases.Valid.Replace("    engine: local", "    engine: local\n    storageClass: local-path", StringComparison.Ordinal), "5:5: 'storageClass' does not apply to host 'box' — remove it; it is a setting of Kubernetes hosts", 1 },
        { "published port on a cluster", WithInstance("    publish: { port: 11434 }"), "6:3: instance 'ollama' sets 'publish' on Kubernetes host 'k3s' — remove 'publish'; reach Ollama through the proxy, whose Service type the host's 'proxyService' chooses", 1 },
        { "host path on a cluster", WithInstance("    storage: { path: /srv/ollama }"), "6:3: instance 'ollama' stores models in a host path on Kubernetes host 'k3s' — remove 'path'; each replica gets a volume claim of the host's 'storageClass' — set its size with 'storage: { size: 200GiB }'", 1 },
        { "GPU devices by id on a cluster", Valid.Replace("gpu: nvidia", "gpu: { vendor: nvidia, devices: [0] }", StringComparison.Ordinal), "6:3: instance 'ollama' selects GPU devices by id on Kubernetes host 'k3s' — write 'count: N' instead; the device plugin chooses which GPUs a pod gets (use 'nodeSelector' to choose the node)", 1 },
        { "cpus finer than a millicore", WithInstance("    resources: { cpus: 0.0125 }"), "6:3: instance 'ollama' sets cpus 0.0125, finer than the millicore Kubernetes keeps — use 0.013 (Kubernetes rounds CPU quantities up to whole millicores: apimachinery resource.Quantity keeps milli-units)", 1 },
        { "HOME set by hand", WithInstance("    env: { HOME: /root }"), "6:3: instance 'ollama' sets env HOME, which the StatefulSet sets itself — remove it; Ollama listens on its port in the pod, and HOME and OLLAMA_MODELS lie on the model volume (/data)", 1 },
        { "too many replicas", WithInstance("    replicas: 40"), "8:15: instance 'ollama' replicas is 40, outside 1..16 — write a whole number from 1 to 16", 1 },
        { "label key with a space", WithInstance("    nodeSelector: { \"gpu kind\": nvidia }"), "8:21: instance 'ollama' nodeSelector label 'gpu kind' is not a Kubernetes label key — write a label key such as gpu or example.com/gpu (letters, digits, '-', '_', '.'; at most 63 after the optional prefix)", 1 },
        { "replicas on a Docker host", BadStackCases.WithInstance("    replicas: 2"), "7:3: instance 'ollama' sets 'replicas' on host 'box', which is not a Kubernetes host — remove 'replicas'; declare another instance to run a second Ollama on this host", 1 },
        { "claim size on a Docker host", BadStackCases.WithInstance("    storage: { size: 10GiB }"), "7:3: instance 'ollama' sets storage 'size' on host 'box', which is not a Kubernetes host — remove 'size'; a Docker volume or host directory grows with the disk it is on", 1 },
        { "proxy on another host", Valid.Replace("hosts:\n", "hosts:\n  box: { kind: docker, address: 127.0.0.1 }\n", StringComparison.Ordinal).Replace("  host: k3s\n  routes", "  host: box\n  routes", StringComparison.Ordinal), "15:7: proxy on host 'box' cannot reach instance 'ollama' on host 'k3s': a Kubernetes host's instances and proxy share its cluster network only with each other — run the proxy on 'k3s', or move 'ollama' to host 'box'", 1 },
        { "AMD group that is not a number", WithHost("    amdGroups: [video, 109]"), "4:17: host 'k3s' amdGroups entry must be a whole number, not 'video' — write a whole number from 0 to 2147483647", 1 },
        { "AMD groups on a Docker host", BadStackCases.Valid.Replace("    engine: local", "    engine: local\n    amdGroups: [44]", StringComparison.Ordinal), "5:5: 'amdGroups' does not apply to host 'box' — remove it; it is a setting of Kubernetes hosts", 1 },
        { "hooks off and no proxy", Valid[..Valid.IndexOf("proxy:", StringComparison.Ordinal)] + "hooks:\n  enabled: false\n", "6:3: instance 'ollama' on Kubernetes host 'k3s' can be reached by nobody: its NetworkPolicy admits only the proxy's pods, and the stack has no proxy — add a proxy on host 'k3s' with a route to it, e.g. 'proxy: { host: k3s, domain: ollama.home.arpa, routes: [{ to: ollama }] }'", 1 },
        { "hooks off and no route to it", Valid.Replace("instances:\n", "instances:\n  routed:\n    host: k3s\n", StringComparison.Ordinal).Replace("to: [ollama]", "to: [routed]", StringComparison.Ordinal) + "hooks:\n  enabled: false\n", "8:3: instance 'ollama' on Kubernetes host 'k3s' can be reached by nobody: its NetworkPolicy admits only the proxy's pods, and no proxy route sends to it — add 'ollama' to a route's 'to:' list, or remove the instance", 1 },
        { "front end data in a host path on a cluster", WithWebui("  storage: { path: /srv/open-webui }\n"), "16:3: webui sets storage 'path' but runs on Kubernetes host 'k3s' — remove it: on Kubernetes the data lives in the volume claim 'webui-data' of the host's storageClass — set its size with 'storage: { size: 10GiB }'", 1 },
        { "front end data in a named volume on a cluster", WithWebui("  storage: { volume: chat-data }\n"), "16:3: webui sets storage 'volume' but runs on Kubernetes host 'k3s' — remove it: on Kubernetes the data lives in the volume claim 'webui-data' of the host's storageClass — set its size with 'storage: { size: 10GiB }'", 1 },
        { "front end claim size on a Docker host", BadStackCases.Valid + "proxy:\n  host: box\n  domain: ollama.home.arpa\n  auth: { bearerTokens: [labToken], basicAuth: [{ user: alice, passwordHash: aliceHash }] }\n  routes: [{ to: ollama }]\nwebui:\n  host: box\n  domain: chat.home.arpa\n  storage: { size: 10GiB }\n", "19:3: webui sets storage 'size' on host 'box', which is not a Kubernetes host — remove 'size'; a Docker volume or host directory grows with the disk it is on", 1 },
    };
}
