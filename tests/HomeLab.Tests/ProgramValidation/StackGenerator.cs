using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

using FsCheck;
using FsCheck.Fluent;

namespace HomeLab.Tests.ProgramValidation;

/// <summary>
/// Random stack files that the loader must accept: 1–6 Docker hosts (at most one local engine, the rest over SSH),
/// 1–8 instances with random GPUs, limits, storage, tuning, environment, published ports and models (custom ones
/// included), and an optional proxy with routes, auth and TLS; or a Kubernetes cluster with 1–8 instances (replicas,
/// node selectors, GPU resources, claim sizes) behind a proxy on the cluster (<see cref="KubernetesStackGenerator"/>). Names and values come from small pools that
/// include awkward-but-valid ones ('yes', 'proxy', '$' in text), so collisions and quoting mistakes show up.
/// </summary>
internal static class StackGenerator
{
    public const string StackName = "lab";

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] HostNames = ["local", "gpu-box", "nas", "h1", "edge-2", "proxy", "yes", "a-very-long-host-name-for-tests-0123456"];
    public static readonly string[] InstanceNames = ["ollama", "coder", "embed", "chat-1", "proxy", "yes", "x", "gpu-box", "big-model-server-01", "lab-proxy"];
    private static readonly string[] Addresses = ["gpu-box.lan", "192.168.1.10", "nas.home.arpa", "10.0.0.7", "box-3"];
    private static readonly string[] ModelNames = ["llama3.2:1b", "llama3.1:8b", "nomic-embed-text:v1.5", "qwen2.5-coder:7b", "mistral", "library/phi3:mini", "registry.ollama.ai/library/gemma2:2b", "all-minilm"];
    public static readonly string[] EnvValues = ["http://proxy.lan:3128", "1", "Europe/Berlin", "${NOT_A_REF}", "$HOME/x", "cost: $$5", "yes", "3", "null", "a \"quoted\" 'value'", "#not-a-comment", ""];
    private static readonly string[] Prompts = ["You are terse.", "Review code.\nBugs first, then style.\n", "Never expand ${VARS} or $(commands); reply in \"plain\" text: 100% literal."];

    public static Arbitrary<string> Stacks() => Arb.From(Gen.Frequency((3, DockerStack()), (1, KubernetesStackGenerator.Stack())));

    private static Gen<string> DockerStack() =>
        from hostCount in Gen.Choose(1, 6)
        from hostNames in Gen.Shuffle(HostNames)
        from localIndex in Gen.Choose(-1, hostCount - 1)
        from hosts in Gen.CollectToList(hostNames.Take(hostCount).Select((name, i) => (name, local: i == localIndex)), h => Host(h.name, h.local))
        from instanceCount in Gen.Choose(1, 8)
        from instanceNames in Gen.Shuffle(InstanceNames)
        from placements in Gen.CollectToList(instanceNames.Take(instanceCount), name => Gen.Elements(hostNames.Take(hostCount)).Select(host => (name, host)))
        from proxy in Gen.Frequency((2, Gen.Elements(hostNames.Take(hostCount)).Select(h => (string?)h)), (1, Gen.Constant((string?)null)))
        from instances in Gen.CollectToList(placements.Select((p, i) => (p.name, p.host, port: 20000 + (i * 100))), p =>
            Instance(p.name, p.host, mustPublish: proxy is null || proxy != p.host, p.port))
        from proxySection in proxy is null ? Gen.Constant("") : Proxy(proxy, placements.Select(p => p.name).ToList())
        from hooks in Hooks(proxy is not null)
        select $"hosts:\n{string.Concat(hosts)}instances:\n{string.Concat(instances)}{proxySection}{hooks}";

    private static Gen<string> Host(string name, bool local) =>
        local
            ? Gen.Elements("    engine: local\n", "").Select(engine => $"  {Q(name)}:\n    kind: docker\n{engine}    address: 127.0.0.1\n")
            : from user in Gen.Elements("ops", "deploy", "root")
              from address in Gen.Elements(Addresses)
              from port in Gen.Elements("", ":22", ":2222")
              select $"  {Q(name)}:\n    kind: docker\n    engine: {Q($"ssh://{user}@{address}{port}")}\n    address: {Q(address)}\n";

    private static Gen<string> Instance(string name, string host, bool mustPublish, int port) =>
        from gpu in Gen.Elements("", "nvidia", "{ vendor: nvidia, count: 2 }", "{ vendor: nvidia, devices: [0, \"GPU-8f6e0c3a-1b2c\"] }", "amd", "intel", "none", "{ vendor: none }")
        from image in gpu == "amd"
            ? Gen.Elements<string?>(null, "ollama/ollama:0.12.6-rocm", "registry.lan:5000/ollama/ollama:0.12.6-rocm")
            : Gen.Elements<string?>(null, "ollama/ollama:0.12.6", "ollama/ollama:0.12.5", "registry.lan:5000/ollama/ollama:0.12.6", "ollama/ollama@sha256:" + new string('a', 64))
        from resources in Optional(Fields(
            ("memory", Gen.Elements("512MiB", "8GiB", "24GiB", "1.5GiB", "768 MiB", "2TiB")),
            ("cpus", Gen.Elements("4", "0.5", "2.25", "16", "10", "1.5", "0.1")),
            ("shm", Gen.Elements("64MiB", "2GiB"))))
        from storage in Gen.Elements("", "{ volume: ollama-models }", "{ volume: models.v2 }", $"{{ path: /srv/ollama/{name} }}", "{ path: /mnt/ai+models@v2 }")
        from tuning in Optional(Fields(
            ("keepAlive", Gen.Elements("5m", "\"-1\"", "1h30m", "30s")),
            ("numParallel", Gen.Choose(1, 256).Select(Number)),
            ("maxLoadedModels", Gen.Choose(1, 64).Select(Number)),
            ("contextLength", Gen.Elements(256, 4096, 131072, 1 << 21).Select(Number)),
            ("flashAttention", Gen.Elements("true", "false")),
            ("kvCacheType", Gen.Elements("f16", "q8_0", "q4_0")),
            ("maxQueue", Gen.Choose(1, 1 << 20).Select(Number))))
        from env in Optional(Fields(
            ("HTTPS_PROXY", Gen.Elements(EnvValues).Select(Q)),
            ("TZ", Gen.Elements(EnvValues).Select(Q)),
            ("MY_VAR_1", Gen.Elements(EnvValues).Select(Q))))
        from publish in mustPublish
            ? Publish(port)
            : Gen.Frequency((1, Publish(port)), (2, Gen.Constant("")))
        from models in Models()
        select $"  {Q(name)}:\n    host: {Q(host)}\n"
            + (gpu.Length > 0 ? $"    gpu: {gpu}\n" : "")
            + (image is null ? "" : $"    image: {Q(image)}\n")
            + (resources.Length > 0 ? $"    resources: {resources}\n" : "")
            + (storage.Length > 0 ? $"    storage: {storage}\n" : "")
            + (tuning.Length > 0 ? $"    tuning: {tuning}\n" : "")
            + (env.Length > 0 ? $"    env: {env}\n" : "")
            + publish
            + models;

    private static Gen<string> Publish(int port) =>
        from offset in Gen.Choose(0, 99)
        from bind in Gen.Elements("", ", bind: 127.0.0.1", ", bind: 0.0.0.0", ", bind: 192.168.1.20")
        select $"    publish: {{ port: {port + offset}{bind} }}\n";

    public static Gen<string> Models() =>
        from names in Gen.SubListOf(ModelNames)
        from entries in Gen.CollectToList(names, name => Gen.Elements(
            $"      - {Q(name)}\n",
            $"      - name: {Q(name)}\n        warm: true\n",
            $"      - {{ name: {Q(name)}, type: {(name.Contains("embed", StringComparison.Ordinal) ? "embedding" : "chat")}, warm: false }}\n"))
        from custom in Gen.Choose(0, 2)
        from customs in Gen.CollectToList(Enumerable.Range(1, custom), i =>
            from baseModel in Gen.Elements(ModelNames)
            from prompt in Gen.Elements(Prompts)
            from parameters in Optional(Fields(("temperature", Gen.Elements("0.2", "1")), ("num_ctx", Gen.Elements("8192", "2048")), ("stop", Gen.Constant(Q("<|end|>")))))
            select $"      - name: {Q($"custom-{i}:latest")}\n        from: {Q(baseModel)}\n        system: {Q(prompt)}\n"
                + (parameters.Length > 0 ? $"        parameters: {parameters}\n" : ""))
        select entries.Count + customs.Count == 0 ? "" : "    models:\n" + string.Concat(entries) + string.Concat(customs);

    public static Gen<string> Proxy(string host, List<string> instances, bool onCluster = false) =>
        from image in Gen.Elements("", "    image: caddy:2.10.0\n", "    image: \"registry.lan:5000/library/caddy:2.10.2\"\n")
        from site in Gen.Elements(
            "    domain: localhost\n    tls: off\n",
            "    domain: localhost\n    tls: internal\n",
            "    domain: ollama.home.arpa\n    tls: internal\n",
            "    domain: ai.example.org\n    tls: acme\n    acmeEmail: ops@example.org\n",
            "    domain: ai.example.org\n    tls: acme\n")
        from ports in Gen.Elements("", "    ports: { http: 8080 }\n", "    ports: { http: 8000, https: 8443 }\n")
            // On a cluster the host's Service type, not a bind address, says where the proxy is reachable.
        from bind in onCluster ? Gen.Constant("") : Gen.Elements("", "    bind: 127.0.0.1\n", "    bind: 192.168.1.5\n")
        from auth in Optional(Fields(
            ("bearerTokens", Gen.SubListOf("ciToken", "laptopToken", "phoneToken").Where(l => l.Count > 0).Select(l => $"[{string.Join(", ", l)}]")),
            ("apiKeys", Gen.Elements("{ keys: [key_a] }", "{ header: X-Token, keys: [key_a, key_b] }")),
            ("basicAuth", Gen.Elements("[{ user: alice, passwordHash: aliceHash }]", "[{ user: alice, passwordHash: aliceHash }, { user: \"bob@lab\", passwordHash: bobHash }]")))
            // The hooks cannot log in with a bcrypt hash, so basic auth comes with a token or key.
            .Where(a => !a.Contains("basicAuth", StringComparison.Ordinal) || a.Contains("bearerTokens", StringComparison.Ordinal) || a.Contains("apiKeys", StringComparison.Ordinal)))
        from shared in Gen.SubListOf((IEnumerable<string>)instances)
        from sharedPrefix in Gen.Elements("/", "/chat", "/embed.v1", "/a_b-c")
        from balance in Gen.Elements("", ", balance: round_robin", ", balance: least_conn", ", balance: first", ", balance: random")
            // The hooks pull onto each instance through a route of its own; a shared route load-balances on top.
        let own = instances.Select(i => $"      - {{ prefix: {Q("/" + i)}, to: [{Q(i)}] }}\n")
        let routes = shared.Count > 0 ? own.Append($"      - {{ prefix: {Q(sharedPrefix)}, to: [{string.Join(", ", shared.Select(i => Q(i)))}]{balance} }}\n") : own
        select $"proxy:\n    host: {Q(host)}\n{image}{site}{ports}{bind}" + (auth.Length > 0 ? $"    auth: {auth}\n" : "") + "    routes:\n" + string.Concat(routes);

    private static Gen<string> Hooks(bool hasProxy) => Gen.Elements(
        "",
        hasProxy ? "hooks: { via: proxy, readyTimeout: 10m, pullConcurrency: 3 }\n" : "hooks: { via: direct, verify: false }\n",
        "hooks: { enabled: false }\n");

    /// <summary>A flow mapping with a random, non-empty subset of the given fields.</summary>
    public static Gen<string> Fields(params (string Key, Gen<string> Value)[] fields) =>
        from chosen in Gen.SubListOf(fields).Where(subset => subset.Count > 0)
        from values in Gen.CollectToList(chosen, f => f.Value.Select(v => $"{f.Key}: {v}"))
        select "{ " + string.Join(", ", values) + " }";

    public static Gen<string> Optional(Gen<string> gen) => Gen.Frequency((1, Gen.Constant("")), (2, gen));

    public static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A YAML double-quoted scalar (JSON string syntax is valid YAML).</summary>
    public static string Q(string text) => JsonSerializer.Serialize(text, Json);
}
