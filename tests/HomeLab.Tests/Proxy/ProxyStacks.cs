using HomeLab.Spec;
using HomeLab.Tests.Support;

namespace HomeLab.Tests.Proxy;

/// <summary>Stack files that vary only the proxy: TLS mode, authentication mix and routes, over instances a, b and c on the local engine.</summary>
internal static class ProxyStacks
{
    public static readonly IReadOnlyDictionary<string, string> Tls = new Dictionary<string, string>
    {
        ["off"] = "  domain: localhost\n  tls: off\n",
        ["internal"] = "  domain: ollama.home.arpa\n  tls: internal\n",
        ["acme"] = "  domain: ollama.example.org\n  tls: acme\n  acmeEmail: ops@example.org\n",
    };

    public static readonly IReadOnlyDictionary<string, string> Auth = new Dictionary<string, string>
    {
        ["none"] = "",
        ["bearer"] = "  auth:\n    bearerTokens: [tokenA, tokenB]\n",
        ["apiKey"] = "  auth:\n    apiKeys:\n      header: X-API-Key\n      keys: [keyA, keyB]\n",
        ["basic"] = "  auth:\n    basicAuth:\n      - { user: alice, passwordHash: aliceHash }\n      - { user: bob.smith@home, passwordHash: bobHash }\n",
        ["bearer+basic"] = "  auth:\n    bearerTokens: [tokenA]\n    basicAuth:\n      - { user: alice, passwordHash: aliceHash }\n",
        ["all"] = "  auth:\n    bearerTokens: [tokenA, tokenB]\n    apiKeys:\n      header: X-Api-Token\n      keys: [keyA]\n    basicAuth:\n      - { user: alice, passwordHash: aliceHash }\n",
    };

    /// <summary>Routes, with the instances they need (every instance must be behind a route).</summary>
    public static readonly IReadOnlyDictionary<string, (string Yaml, string[] Instances)> Routes = new Dictionary<string, (string, string[])>
    {
        ["one"] = ("  routes:\n    - to: [a]\n", ["a"]),
        ["several"] = ("  routes:\n    - { to: [a, b], balance: round_robin }\n    - { prefix: /coder, to: [c] }\n    - { prefix: /embed, to: [a, c], balance: first }\n", ["a", "b", "c"]),
    };

    /// <summary>
    /// A stack with the named instances on the local engine and a proxy made of the given YAML lines (indented two
    /// spaces). Hooks are off: these stacks vary the proxy freely, including routes the hooks could not use.
    /// </summary>
    public static StackSpec Build(string proxyLines, IEnumerable<string> instances, string name = "proxy-test") =>
        Stacks.Parse(
            "hosts:\n  local:\n    kind: docker\n    engine: local\n    address: 127.0.0.1\n"
            + "instances:\n" + string.Concat(instances.Select(i => $"  {i}:\n    host: local\n"))
            + "hooks: { enabled: false }\n"
            + "proxy:\n  host: local\n  bind: 127.0.0.1\n  ports:\n    http: 8080\n    https: 8443\n" + proxyLines,
            name);

    public static StackSpec Variant(string tls, string auth, string routes) => Build(Tls[tls] + Auth[auth] + Routes[routes].Yaml, Routes[routes].Instances);
}
