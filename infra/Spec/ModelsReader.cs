using HomeLab.Spec.Shape;
using HomeLab.Spec.Yaml;

namespace HomeLab.Spec;

/// <summary>Reads an instance's models: plain names, or mappings with options and custom-model settings.</summary>
internal static class ModelsReader
{
    /// <param name="cloud">Whether the instance allows models that ollama.com serves (instance 'cloud: true').</param>
    public static ModelSpec? Read(YamlValue node, string what, NodeReader r, bool cloud)
    {
        if (node is YamlText)
        {
            var plain = Resolve(r.Text(node, what), node, what, r, cloud);
            return plain is not null ? new ModelSpec(ModelName.Parse(plain), GuessKind(plain), false, null, null, [], node.At) : null;
        }

        var map = r.Map(node, what, SpecShape.Model.Keys);
        if (map is null)
        {
            return null;
        }

        var name = r.Text(map["name"], $"{what} name");
        if (name is null)
        {
            if (map["name"] is null)
            {
                r.Error(map.At, $"{what} has no 'name'", "add 'name:' with the model to serve, e.g. llama3.2:3b");
            }

            return null;
        }

        what = $"model '{name}'";
        var canonical = Resolve(name, map["name"]!, what, r, cloud);
        var from = Resolve(r.Text(map["from"], $"{what} from"), map["from"], $"{what} base", r, cloud);

        var system = r.Prose(map["system"], $"{what} system");
        var parameters = ReadParameters(map["parameters"], what, r);
        if (from is null && (system is not null || parameters.Count > 0))
        {
            r.Error(map.KeyAt(system is not null ? "system" : "parameters"), $"{what} sets a system prompt or parameters but no 'from'",
                "add 'from:' with the base model to build it on, e.g. from: llama3.2:3b");
        }

        var kind = r.Enum(map["type"], $"{what} type", SpecShape.ModelKinds) ?? GuessKind(from ?? name);
        var warm = r.Bool(map["warm"], $"{what} warm") ?? SpecShape.Model.Default<bool>("warm");
        return canonical is not null ? new ModelSpec(ModelName.Parse(canonical), kind, warm, from is null ? null : ModelName.Parse(from), system, parameters, map.At) : null;
    }

    /// <summary>
    /// A custom model's parameters, each checked where it is written against the type Ollama gives that option
    /// (<see cref="ModelParameter.OllamaOptions"/>): Ollama itself would accept a wrong type at create and refuse the
    /// model only when it loads.
    /// </summary>
    private static List<ModelParameter> ReadParameters(YamlValue? node, string what, NodeReader r)
    {
        var parameters = new List<ModelParameter>();
        var map = r.Map(node, $"{what} parameters", node is YamlMap given ? given.Entries.Select(e => e.Key.Text).ToArray() : []);
        foreach (var entry in map?.Entries ?? [])
        {
            var name = entry.Key.Text;
            if (ModelParameter.OllamaOptions.Find(name) is not { } type)
            {
                var near = Suggest.Nearest(name, ModelParameter.OllamaOptions.Words);
                r.Error(entry.Key.At, $"{what} parameter '{name}' is not an option Ollama knows", near is null ? $"use one of: {string.Join(", ", ModelParameter.OllamaOptions.Words)}" : $"did you mean '{near}'?");
                continue;
            }

            var values = new List<string>();
            foreach (var item in type is ParameterType.StringList && entry.Value is YamlList list ? list.Items : [entry.Value])
            {
                var label = $"{what} parameter {name}";
                var text = type is ParameterType.Boolean ? r.Bool(item, label)?.ToString().ToLowerInvariant() : r.Text(item, label);
                if (text is null)
                {
                    continue;
                }

                if (ModelParameter.Normalise(type, text) is { } value)
                {
                    values.Add(value);
                }
                else
                {
                    r.Error(item.At, $"{label} must be {ModelParameter.Describe(type)}, not '{text}'", type is ParameterType.Integer ? "write a whole number such as 8192 (no units)" : "write a number such as 0.7");
                }
            }

            if (values.Count > 0)
            {
                parameters.Add(new ModelParameter(name, type, values));
            }
        }

        return parameters.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Embedding models say so in their name in Ollama's library; 'type:' overrides the guess.</summary>
    private static ModelKind GuessKind(string name) =>
        name.Contains("embed", StringComparison.OrdinalIgnoreCase) || name.StartsWith("all-minilm", StringComparison.OrdinalIgnoreCase) || name.StartsWith("bge-", StringComparison.OrdinalIgnoreCase)
            ? ModelKind.Embedding
            : ModelKind.Chat;

    /// <summary>
    /// The name as Ollama v0.32.15 stores it (<see cref="ModelName.Canonical"/>: ':local' dropped, ':cloud' in its
    /// legacy form), or null after an error: a name Ollama would refuse, or a cloud model on an instance that keeps
    /// prompts at home.
    /// </summary>
    private static string? Resolve(string? written, YamlValue? node, string what, NodeReader r, bool cloud)
    {
        if (written is null || node is null)
        {
            return null;
        }

        var (canonical, conflict) = ModelName.Canonical(written);
        if ((conflict ?? ModelName.Problem(canonical!)) is { } problem)
        {
            r.Error(node.At, $"{what} name '{written}' {problem}, so Ollama would reject it", "write a model name such as llama3.2:3b or namespace/model:tag");
            return null;
        }

        if (!cloud && ModelName.Parse(canonical!).IsCloud)
        {
            r.Error(node.At, $"{what} name '{written}' is an Ollama cloud model: ollama.com runs it, so every prompt leaves the instance, and this instance keeps cloud off (OLLAMA_NO_CLOUD=1)",
                "declare a model that runs locally, or add 'cloud: true' to the instance to allow ollama.com models");
            return null;
        }

        return canonical;
    }
}
