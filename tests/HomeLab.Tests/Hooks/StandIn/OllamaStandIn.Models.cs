using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Http;

namespace HomeLab.Tests.Hooks.StandIn;

/// <summary>/api/create and /api/show as server/create.go and server/routes.go handle them.</summary>
public sealed partial class OllamaStandIn
{
    /// <summary>
    /// create.go CreateHandler with 'from': the base's layers are reused (model.go parseFromModel; the model layer
    /// records the base as from.DisplayShortest(), which /api/show gives as details.parent_model), the system prompt
    /// replaces the base's only when given (createModel → setSystem), and parameters are merged over the base's
    /// (setParameters: the request's win, the base's fill in). The request's parameters arrive as Go's
    /// map[string]any, so every JSON number is stored as a float64.
    /// </summary>
    private async Task CreateAsync(HttpContext context, string name, JsonNode body)
    {
        // create.go CreateHandler: 'from' goes through parseAndValidateModelRef, so a ':local' base is the plain name.
        var from = body["from"]?.GetValue<string>() is { } written ? OllamaNames.Ref(written).Base : null;
        if (from is null)
        {
            await JsonAsync(context, 400, new JsonObject { ["error"] = "neither 'from' or 'files' was specified" }).ConfigureAwait(false);
            return;
        }

        if (!OllamaNames.IsValid(from))
        {
            await JsonAsync(context, 400, new JsonObject { ["error"] = "invalid model name" }).ConfigureAwait(false);
            return;
        }

        // Simplified: Ollama would pull a missing base first (parseFromModel); the hooks always create on a present one.
        if (!installed.TryGetValue(ExistingName(from), out var parent))
        {
            await NotFoundAsync(context, from).ConfigureAwait(false);
            return;
        }

        var parameters = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (key, value) in body["parameters"]?.AsObject() ?? [])
        {
            parameters[key] = AsGoValue(value!);
        }

        foreach (var (key, value) in parent.Parameters.Where(p => !parameters.ContainsKey(p.Key)))
        {
            parameters[key] = value.DeepClone();
        }

        var stream = new NdjsonWriter(this, context, "POST", "/api/create");
        await stream.LineAsync(new JsonObject { ["status"] = $"using existing layer {Digest(parent.Name + "/model")}" }).ConfigureAwait(false);
        await stream.LineAsync(new JsonObject { ["status"] = "writing manifest" }).ConfigureAwait(false);
        var system = body["system"]?.GetValue<string>() is { Length: > 0 } given ? given : parent.System;
        Store(new InstalledModel(name, parent.Kind, OllamaNames.Shortest(from), system, parameters, parent.Size) { File = parent.File, Format = parent.Format, Remote = parent.Remote });
        creates.AddOrUpdate(name, 1, (_, n) => n + 1);
        await stream.LineAsync(new JsonObject { ["status"] = "success" }).ConfigureAwait(false);
        await stream.EndAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// routes.go GetModelInfo: parameters as text, one "%-30s %#v" line per value (a list gives one line per item),
    /// in Go map order, which is random on every call.
    /// </summary>
    private static JsonObject Show(InstalledModel model)
    {
        var lines = new List<string>();
        foreach (var (key, value) in model.Parameters.OrderBy(_ => Random.Shared.Next()))
        {
            foreach (var item in value is JsonArray array ? array.Select(a => a!) : [value])
            {
                lines.Add($"{key,-30} {GoFormat.SharpV(item)}");
            }
        }

        var show = new JsonObject
        {
            ["parameters"] = string.Join("\n", lines),
            ["license"] = "MIT",
            ["modified_at"] = "2025-08-14T15:49:43.634137516-07:00",
            ["template"] = "{{ .Prompt }}",
            ["details"] = Details(model),
            ["capabilities"] = new JsonArray(model.Kind == "embedding" ? "embedding" : "completion"),
            ["model_info"] = new JsonObject { ["general.architecture"] = "llama" },
        };
        if (model.Requires is { } requires)
        {
            // api/types.go ShowResponse.Requires: the oldest Ollama that can run the model.
            show["requires"] = requires;
        }

        if (model.System is { } system)
        {
            show["system"] = system;
        }

        return show;
    }

    /// <summary>A JSON value as Go's decoder into map[string]any holds it: numbers become float64.</summary>
    private static JsonNode AsGoValue(JsonNode value) => value switch
    {
        JsonValue number when number.GetValueKind() is System.Text.Json.JsonValueKind.Number => JsonValue.Create(number.GetValue<double>()),
        _ => value.DeepClone(),
    };

    private static JsonObject Details(InstalledModel model) => new()
    {
        ["parent_model"] = model.From ?? "",
        ["format"] = model.Format,
        ["family"] = model.Kind == "embedding" ? "nomic-bert" : "llama",
        ["families"] = new JsonArray(model.Kind == "embedding" ? "nomic-bert" : "llama"),
        ["parameter_size"] = "1.2B",
        ["quantization_level"] = "Q4_K_M",
    };

    private static JsonNode Summary(InstalledModel model) => new JsonObject
    {
        ["name"] = model.Name,
        ["model"] = model.Name,
        ["modified_at"] = "2025-10-03T23:34:03.409490317-07:00",
        ["size"] = model.Size,
        ["digest"] = Digest(model.Name)[7..],
        ["details"] = Details(model),

        // api/types.go ListModelResponse.Capabilities (routes.go ListHandler).
        ["capabilities"] = new JsonArray(model.Kind == "embedding" ? "embedding" : "completion"),
    };
}
