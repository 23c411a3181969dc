using HomeLab.Modules;
using HomeLab.Modules.Nixos;
using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Nixos;

/// <summary>NixOS stacks for the tests: the grey-area example and generated variants of one host.</summary>
internal static class NixosStacks
{
    /// <summary>An SSH host key of the right shape (a real ed25519 public key, made for these tests only).</summary>
    public const string HostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKriHtjngdTCNgqPx7WTLWEJp8ZOyODHmLBkM35isBNA";

    public static string Module { get; } = NixosModule.Load(Repo.Root);

    public static StackSpec GreyArea => Stacks.Load("grey-area");

    public static NixosHostSpec OnlyHost(StackSpec spec) => spec.Hosts.OfType<NixosHostSpec>().Single();

    public static string ValuesJson(StackSpec spec) => NixosOllama.ValuesJson(NixosOllama.Values(spec, OnlyHost(spec)));

    public static readonly string[] GpuVendors = ["none", "nvidia", "amd", "intel"];

    /// <summary>none: no proxy; off / internal / acme: the proxy's TLS mode, each with a different kind of auth.</summary>
    public static readonly string[] ProxyModes = ["none", "off", "internal", "acme"];

    /// <summary>none: no limits; capped: memory, CPU, low priority and a data-disk path; cpu: CPU only, idle priority, another port.</summary>
    public static readonly string[] LimitModes = ["none", "capped", "cpu"];

    public static string VariantYaml(string gpu, string proxy, string limits, string extraInstanceYaml = "")
    {
        var limitsYaml = limits switch
        {
            "capped" => "    resources: { memory: 12GiB, cpus: 2.5, priority: low }\n    storage: { path: /srv/data/ollama }\n",
            "cpu" => "    resources: { cpus: 4, priority: idle }\n    port: 11500\n",
            _ => "",
        };
        var proxyYaml = proxy switch
        {
            "off" => "proxy:\n  host: box\n  domain: ollama.box.lan\n  tls: off\n  ports: { http: 8080 }\n  routes:\n    - to: [ollama]\n",
            "internal" => "proxy:\n  host: box\n  domain: ollama.box.lan\n  tls: internal\n  ports: { http: 8080, https: 8443 }\n" +
                "  auth:\n    basicAuth:\n      - { user: alice, passwordHash: aliceHash }\n  routes:\n    - to: [ollama]\n" +
                // Basic auth alone keeps the hooks out of the proxy (they hold no password), so they go direct.
                "hooks:\n  via: direct\n",
            "acme" => "proxy:\n  host: box\n  domain: ollama.example.org\n  tls: acme\n  acmeEmail: ops@example.org\n" +
                "  auth:\n    bearerTokens: [ciToken]\n    apiKeys: { header: X-API-Key, keys: [appKey] }\n  routes:\n    - to: [ollama]\n",
            _ => "hooks:\n  via: direct\n",
        };
        return "hosts:\n  box:\n    kind: nixos\n    address: box.lan\n    ssh: { user: deploy, hostKey: " + HostKey + " }\n" +
            "instances:\n  ollama:\n    host: box\n    gpu: " + gpu + "\n" + limitsYaml + extraInstanceYaml +
            "    models:\n      - llama3.2:3b\n      - nomic-embed-text:v1.5\n      - name: helper\n        from: mistral:7b\n        system: Be brief.\n" +
            "      - name: terse\n        from: helper\n        system: One line.\n" +
            proxyYaml;
    }

    /// <summary>What every variant's host pulls by itself: the plain models, then the base of 'helper' ('terse' is built from 'helper', which the hooks create).</summary>
    public static readonly string[] VariantLoadModels = ["llama3.2:3b", "nomic-embed-text:v1.5", "mistral:7b"];

    /// <summary>A NixOS host that runs only the proxy, in front of an instance published on a Docker host.</summary>
    public static StackSpec ProxyOnly => Stacks.Parse(
        "hosts:\n  gpu-box:\n    kind: docker\n    engine: ssh://ops@gpu-box.lan\n    address: gpu-box.lan\n" +
        "  edge:\n    kind: nixos\n    address: edge.lan\n    ssh: { hostKey: " + HostKey + " }\n" +
        "instances:\n  ollama:\n    host: gpu-box\n    publish: { port: 11434, bind: 192.0.2.10 }\n" +
        "proxy:\n  host: edge\n  domain: ollama.edge.lan\n  auth: { bearerTokens: [ciToken] }\n  routes:\n    - to: [ollama]\n");

    public static StackSpec Variant(string gpu, string proxy, string limits) => Stacks.Parse(VariantYaml(gpu, proxy, limits), "variant");
}
