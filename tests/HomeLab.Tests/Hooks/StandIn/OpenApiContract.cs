using System.Text.Json;
using System.Text.Json.Nodes;

using HomeLab.Contracts;

namespace HomeLab.Tests.Hooks.StandIn;

/// <summary>
/// The request and response schemas of Ollama's API (the committed digest of ollama-openapi.yaml, see
/// <see cref="OllamaContract"/>), and a checker for the parts of JSON Schema that document uses: $ref, oneOf, type,
/// required, properties, items, enum. The stand-in checks every request it receives and every body it sends, so it
/// cannot drift from the real API.
/// </summary>
public sealed class OpenApiContract
{
    private readonly OllamaContract api;

    private OpenApiContract(OllamaContract api) => this.api = api;

    /// <summary>The contract as committed in tests/HomeLab.Contracts/digests/ollama.json.</summary>
    public static OpenApiContract Committed { get; } = new(OllamaContract.Api);

    public bool Describes(string method, string path) => Operation(method, path) is not null;

    public IReadOnlyList<string> CheckRequest(string method, string path, JsonNode? body)
    {
        var operation = Operation(method, path) ?? throw new InvalidOperationException($"{method} {path} is not in the contract");
        if (Child(operation, "requestBody") is not JsonObject requestBody)
        {
            return body is null ? [] : [$"{method} {path}: the contract takes no request body"];
        }

        if (body is null)
        {
            return requestBody["required"]?.GetValue<bool>() == true ? [$"{method} {path}: the request body is required"] : [];
        }

        var schema = Child(Child(requestBody, "content"), "application/json")
            ?? throw new InvalidOperationException($"{method} {path} has no JSON request schema");
        return Check(schema, body, $"{method} {path} request");
    }

    /// <summary>Checks a whole response body, or one NDJSON line when <paramref name="contentType"/> is application/x-ndjson.</summary>
    public IReadOnlyList<string> CheckResponse(string method, string path, int status, string contentType, JsonNode? body)
    {
        var operation = Operation(method, path) ?? throw new InvalidOperationException($"{method} {path} is not in the contract");
        var where = $"{method} {path} response {status}";
        var response = Child(Child(operation, "responses"), status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (response is null)
        {
            if (status < 400)
            {
                return [$"{where}: the contract lists no such status"];
            }

            // Errors are not listed per path; Ollama answers them with the ErrorResponse shape.
            var problems = Check(api.Schema(OllamaDigest.DigestSchemas + "ErrorResponse"), body, where).ToList();
            if (body is not JsonObject error || error["error"] is null)
            {
                problems.Add($"{where}: an error answer must carry 'error'");
            }

            return problems;
        }

        if (Child(response, "content") is not JsonObject { Count: > 0 } content)
        {
            return body is null ? [] : [$"{where}: the contract promises no body"];
        }

        var schema = Child(content, contentType);
        return schema is null ? [$"{where}: the contract has no '{contentType}' body"] : Check(schema, body, where);
    }

    private JsonObject? Operation(string method, string path) => api.Operation(method, path);

    private List<string> Check(JsonNode schema, JsonNode? value, string where)
    {
        if (Scalar(schema, "$ref") is { } reference)
        {
            return Check(api.Schema(reference), value, where);
        }

        if (Child(schema, "oneOf") is JsonArray choices)
        {
            return choices.OfType<JsonNode>().Any(choice => Check(choice, value, where).Count == 0)
                ? []
                : [$"{where}: {Describe(value)} matches none of the allowed forms"];
        }

        var problems = new List<string>();
        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        switch (Scalar(schema, "type"))
        {
            case "object":
                if (value is not JsonObject obj)
                {
                    return [$"{where}: expected an object, got {Describe(value)}"];
                }

                foreach (var required in (Child(schema, "required") as JsonArray)?.Select(r => r!.GetValue<string>()) ?? [])
                {
                    if (!obj.ContainsKey(required))
                    {
                        problems.Add($"{where}: required field '{required}' is missing");
                    }
                }

                var properties = Child(schema, "properties") as JsonObject;
                foreach (var (key, item) in obj)
                {
                    if (Child(properties, key) is { } property)
                    {
                        problems.AddRange(Check(property, item, $"{where}.{key}"));
                    }
                    else if (Child(schema, "additionalProperties") is JsonValue allowsMore && allowsMore.GetValueKind() is JsonValueKind.False)
                    {
                        problems.Add($"{where}: field '{key}' is not allowed");
                    }
                }

                break;
            case "array":
                if (value is not JsonArray array)
                {
                    return [$"{where}: expected an array, got {Describe(value)}"];
                }

                if (Child(schema, "items") is { } items)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        problems.AddRange(Check(items, array[i], $"{where}[{i}]"));
                    }
                }

                break;
            case "string":
                if (kind is not JsonValueKind.String)
                {
                    return [$"{where}: expected a string, got {Describe(value)}"];
                }

                if (Child(schema, "enum") is JsonArray allowed && !allowed.Any(a => a?.GetValue<string>() == value!.GetValue<string>()))
                {
                    problems.Add($"{where}: '{value!.GetValue<string>()}' is not one of the allowed values");
                }

                break;
            case "integer":
                if (kind is not JsonValueKind.Number || !long.TryParse(value!.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    return [$"{where}: expected an integer, got {Describe(value)}"];
                }

                break;
            case "number":
                if (kind is not JsonValueKind.Number)
                {
                    return [$"{where}: expected a number, got {Describe(value)}"];
                }

                break;
            case "boolean":
                if (kind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return [$"{where}: expected a boolean, got {Describe(value)}"];
                }

                break;
        }

        return problems;
    }

    private static string Describe(JsonNode? value) => value is null ? "null" : $"{value.GetValueKind().ToString().ToLowerInvariant()} {Truncate(value.ToJsonString())}";

    private static string Truncate(string text) => text.Length > 60 ? text[..60] + "…" : text;

    private static JsonNode? Child(JsonNode? node, string key) => node is JsonObject map ? map[key] : null;

    private static string? Scalar(JsonNode? node, string key) => Child(node, key) is JsonValue value && value.GetValueKind() is JsonValueKind.String ? value.GetValue<string>() : null;
}
