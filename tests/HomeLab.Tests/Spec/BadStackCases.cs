using HomeLab.Conventions;

namespace HomeLab.Tests.Spec;

/// <summary>
/// Malformed and hostile stack files, each with the first diagnostic an operator must see (exact position and text)
/// and how many problems the file has in all.
/// </summary>
public static class BadStackCases
{
    /// <summary>A valid stack; the instance's settings start at line 9, models at line 11.</summary>
    public const string Valid = """
        hosts:
          box:
            kind: docker
            engine: local
            address: 127.0.0.1
        instances:
          ollama:
            host: box
            image: ollama/ollama:0.12.6
            publish: { port: 11434 }
            models:
              - llama3.2:3b

        """;

    /// <summary>The valid stack with <paramref name="lines"/> added to instance 'ollama' at line 9.</summary>
    public static string WithInstance(string lines) => Valid.Replace("    image:", lines + "\n    image:", StringComparison.Ordinal);

    /// <summary>The valid stack with <paramref name="lines"/> appended at the top level from line 14.</summary>
    public static string WithTop(string lines) => Valid + lines + "\n";

    /// <summary>A custom model on llama3.2:3b with <paramref name="parameters"/>; its parameters are on line 14.</summary>
    private static string Custom(string parameters) => $"- name: bot\n        from: llama3.2:3b\n        parameters: {{ {parameters} }}";

    private const string Proxy = """
        proxy:
          host: box
          tls: off
          routes:
            - to: [ollama]
        """;

    public static TheoryData<string, string, string, int> All() => new()
    {
        { "empty file", "", "1:1: the stack file is empty — declare at least 'hosts:' and 'instances:'; see stacks/local.yaml for an example", 1 },
        { "only a comment", "# nothing here\n", "1:1: the stack file is empty — declare at least 'hosts:' and 'instances:'; see stacks/local.yaml for an example", 1 },
        { "top level is a list", "- hosts\n- instances\n", "1:1: the stack file must be a mapping, not a list — write the stack file as 'key: value' lines indented below it", 1 },
        { "bad indentation", "hosts:\n  box:\n    kind: docker\n   engine: local\n", "4:4: YAML syntax error: While parsing a block mapping, did not find expected key — fix the YAML syntax at this position (check indentation, quotes and colons)", 1 },
        { "unclosed quote", "hosts:\n  box:\n    kind: \"docker\n", "3:11: YAML syntax error: While scanning a quoted scalar, found unexpected end of stream — fix the YAML syntax at this position (check indentation, quotes and colons)", 1 },
        { "tab indentation", "hosts:\n\tbox: {}\n", "2:1: YAML syntax error: While scanning a mapping, found invalid tab as indentation — fix the YAML syntax at this position (check indentation, quotes and colons)", 1 },
        { "two documents", Valid + "---\nhosts: {}\n", "13:1: the file holds more than one YAML document — keep one document per stack file; remove the extra '---'", 1 },
        { "duplicate key", WithInstance("    host: box"), "9:5: key 'host' appears twice in the same mapping — keep one of them; YAML would silently use only the last", 1 },
        { "alias", "hosts: &h\n  box: { kind: docker, address: 127.0.0.1 }\ninstances: *h\n", "3:12: YAML alias '*h' is not supported in stack files — write the value out in full; aliases make a stack file harder to review", 1 },
        { "custom tag", WithInstance("    env: !include secrets.yaml"), "9:10: YAML tag '!include' is not supported — remove the tag; stack files use plain values", 1 },
        { "deep nesting", "hosts: " + new string('[', 100) + new string(']', 100) + "\n", "1:71: values are nested more than 64 levels deep — flatten the structure; no stack setting needs this depth", 1 },
        { "unknown top-level key", WithTop("proxxy: {}"), "13:1: unknown key 'proxxy' in the stack file — did you mean 'proxy'? valid keys are: hosts, instances, proxy, hooks, webui", 1 },
        { "unknown instance key", Valid.Replace("    image:", "    imgae:", StringComparison.Ordinal), "9:5: unknown key 'imgae' in instance 'ollama' — did you mean 'image'? valid keys are: host, image, gpu, resources, storage, tuning, env, publish, models, removeUndeclared, cloud, port, replicas, nodeSelector", 1 },
        { "ambiguous size", WithInstance("    resources: { memory: 24GB }"), "9:26: instance 'ollama' memory '24GB' is ambiguous: 'GB' could mean powers of 1000 or of 1024 — write 24GiB (binary units: KiB, MiB, GiB, TiB)", 1 },
        { "not a size", WithInstance("    resources: { memory: lots }"), "9:26: instance 'ollama' memory 'lots' is not a size — write a size with a binary unit, such as 512MiB, 24GiB or 1TiB", 1 },
        { "cpus the Docker provider reads back differently", WithInstance("    resources: { cpus: 0.01 }"), "7:3: instance 'ollama' sets cpus 0.01, which the Docker provider reads back as a different value, so every pulumi up would replace the container — use 0.1 instead (the provider keeps at most nine decimals, and values such as 0.05 or 10.05 are rounded)", 1 },
        { "cpus not a number", WithInstance("    resources: { cpus: four }"), "9:24: instance 'ollama' cpus must be a number from 0.01 to 1024, not 'four' — write a number such as 4 or 2.5", 1 },
        { "model name Ollama rejects", Valid.Replace("- llama3.2:3b", "- \"llama 3.2\"", StringComparison.Ordinal), "12:9: instance 'ollama' model #1 name 'llama 3.2' has an invalid part 'llama 3.2' (letters, digits, '_', '.', '-' only), so Ollama would reject it — write a model name such as llama3.2:3b or namespace/model:tag", 1 },
        { "model with bad tag", Valid.Replace("- llama3.2:3b", "- llama3.2:3b:q4", StringComparison.Ordinal), "12:9: instance 'ollama' model #1 name 'llama3.2:3b:q4' has more than one ':' (a model name has at most one tag), so Ollama would reject it — write a model name such as llama3.2:3b or namespace/model:tag", 1 },
        { "unknown host reference", Valid.Replace("    host: box", "    host: bx", StringComparison.Ordinal), "7:3: instance 'ollama' runs on host 'bx', which is not declared — did you mean 'box'?", 1 },
        { "duplicate model", Valid.Replace("- llama3.2:3b", "- llama3.2\n      - llama3.2:latest", StringComparison.Ordinal), "13:9: model 'llama3.2:latest' is declared twice on instance 'ollama' — keep one entry (Ollama reads names without case and fills in registry.ollama.ai/library/ and :latest, so 'Llama3.2' and 'llama3.2:latest' are the same model)", 1 },
        { "same model in another case and spelling", Valid.Replace("- llama3.2:3b", "- Llama3.2:3b\n      - registry.ollama.ai/library/llama3.2:3b", StringComparison.Ordinal), "13:9: model 'registry.ollama.ai/library/llama3.2:3b' is declared twice on instance 'ollama' — keep one entry (Ollama reads names without case and fills in registry.ollama.ai/library/ and :latest, so 'Llama3.2' and 'llama3.2:latest' are the same model)", 1 },
        { "namespace with a dot", Valid.Replace("- llama3.2:3b", "- my.team/bot:1", StringComparison.Ordinal), "12:9: instance 'ollama' model #1 name 'my.team/bot:1' has an invalid namespace 'my.team' (letters, digits, '_', '-' only), so Ollama would reject it — write a model name such as llama3.2:3b or namespace/model:tag", 1 },
        { "integer parameter with a unit", Valid.Replace("- llama3.2:3b", Custom("num_ctx: 8k"), StringComparison.Ordinal), "14:32: model 'bot' parameter num_ctx must be a whole number, not '8k' — write a whole number such as 8192 (no units)", 1 },
        { "float parameter in words", Valid.Replace("- llama3.2:3b", Custom("temperature: hot"), StringComparison.Ordinal), "14:36: model 'bot' parameter temperature must be a number, not 'hot' — write a number such as 0.7", 1 },
        { "boolean parameter written as on", Valid.Replace("- llama3.2:3b", Custom("use_mmap: on"), StringComparison.Ordinal), "14:33: model 'bot' parameter use_mmap must be true or false, not 'on' — write true or false: YAML 1.2, which the editor and Pulumi read, takes 'on' as text, not a boolean", 1 },
        { "parameter Ollama does not know", Valid.Replace("- llama3.2:3b", Custom("num_ctxx: 4096"), StringComparison.Ordinal), "14:23: model 'bot' parameter 'num_ctxx' is not an option Ollama knows — did you mean 'num_ctx'?", 1 },
        { "stop list with a nested list", Valid.Replace("- llama3.2:3b", Custom("stop: [a, [b]]"), StringComparison.Ordinal), "14:33: model 'bot' parameter stop must be a single value, not a list — write model 'bot' parameter stop as one value on the same line as its key", 1 },
        { "two things on one port", WithTop(Proxy.Replace("tls: off", "tls: off\n  ports: { http: 11434 }", StringComparison.Ordinal)), "7:3: instance 'ollama' wants port 11434 on host 'box', which the proxy (http) already uses — choose a different port for one of them", 1 },
        { "gpu count and devices", WithInstance("    gpu: { vendor: nvidia, count: 2, devices: [0, 1] }"), "9:28: instance 'ollama' gpu sets both 'count' and 'devices' — keep one: 'count: N' takes any N GPUs, 'devices: [...]' takes exactly those", 1 },
        { "amd gpu without rocm image", WithInstance("    gpu: amd"), $"7:3: instance 'ollama' has an AMD GPU but image 'ollama/ollama:0.12.6' is not a ROCm build — use the ROCm image, e.g. {Pins.OllamaRocmImage}, or remove 'image' to get it by default", 1 },
        { "unpinned image", Valid.Replace("ollama/ollama:0.12.6", "ollama/ollama:latest", StringComparison.Ordinal), $"9:12: instance 'ollama' image 'ollama/ollama:latest' is not pinned to a version — add a version tag such as ':{Pins.OllamaVersion}' so every deploy runs the same image", 1 },
        { "secret value instead of key", WithTop(Proxy + "\n  auth: { bearerTokens: [\"sk-live-abc123!\"] }"), "18:26: bearer token 'sk-live-abc123!' is not a Pulumi config key name — give the name of a secret config key (letters, digits, '_'), set with 'homelab secrets STACK --set-missing'; never the secret itself", 1 },
        { "route to unknown instance", WithTop(Proxy.Replace("to: [ollama]", "to: [olama]", StringComparison.Ordinal)), "7:3: instance 'ollama' is behind no proxy route, so the post-deploy hooks cannot reach it — add 'ollama' to a route's 'to:' list, or set 'hooks: { via: direct }' and publish its port", 2 },
        { "hostile domain", WithTop(Proxy + "\n  domain: \"evil.com {\\n respond 200 }\""), "18:11: proxy domain contains a control character (newline, tab or similar) — write proxy domain on one line without control characters", 1 },
        { "hostile header", WithTop(Proxy + "\n  auth: { apiKeys: { header: \"X-Key\\\" }\", keys: [k] } }"), "18:30: apiKeys header 'X-Key\" }' is not a usable header name — write a header name such as X-API-Key (letters, digits, '-'; not Authorization, which bearer tokens use)", 1 },
        { "hostile path", WithInstance("    storage: { path: \"/srv/${HOME}/../etc\" }"), "9:22: instance 'ollama' storage path '/srv/${HOME}/../etc' is not a plain absolute path — write an absolute path such as /srv/ollama (letters, digits, '.', '_', '-', '@', '+', '/'; no '..')", 1 },
        { "control character in env", WithInstance("    env: { OLLAMA_ORIGINS: \"a\\nb\" }"), "9:28: instance 'ollama' env OLLAMA_ORIGINS contains a control character (newline, tab or similar) — write instance 'ollama' env OLLAMA_ORIGINS on one line without control characters", 1 },
        { "no hosts or instances", "hooks: { enabled: false }\n", "1:1: the stack declares no hosts — add a 'hosts:' mapping with at least one host, e.g. 'local: { kind: docker, engine: local, address: 127.0.0.1 }'", 2 },
        { "wrong type for models", Valid.Replace("    models:\n      - llama3.2:3b", "    models: llama3.2:3b", StringComparison.Ordinal), "11:13: instance 'ollama' models must be a list, not a scalar — write each entry of instance 'ollama' models on its own line starting with '- '", 1 },
        { "boolean written as yes", WithInstance("    removeUndeclared: yes"), "9:23: instance 'ollama' removeUndeclared must be true or false, not 'yes' — write true or false: YAML 1.2, which the editor and Pulumi read, takes 'yes' as text, not a boolean", 1 },
        { "several problems at once", Valid.Replace("    image:", "    imgae:", StringComparison.Ordinal).Replace("    host: box", "    host: bx", StringComparison.Ordinal), "7:3: instance 'ollama' runs on host 'bx', which is not declared — did you mean 'box'?", 2 },
    };
}
