using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace HomeLab.Modules.Nixos;

/// <summary>
/// Writes values.json, key by key in record order. JsonSerializer would write the same, but its start-up (reflection,
/// or generic metadata for every number-typed property) was the largest single cost of compiling a NixOS stack, on
/// every Pulumi run. A test holds this writer to what JsonSerializer writes for the same records.
/// </summary>
internal static class NixosValuesJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",
        // The file is read by Nix, never embedded in HTML: keep quotes and '<' readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(NixosValues values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("schema", values.Schema);
            json.WriteString("stack", values.Stack);
            json.WriteString("hostName", values.HostName);
            json.WritePropertyName("ollama");
            WriteOllama(json, values.Ollama);
            json.WritePropertyName("proxy");
            WriteProxy(json, values.Proxy);
            if (values.Webui is { } webui)
            {
                json.WriteStartObject("webui");
                json.WriteString("host", webui.Host);
                json.WriteNumber("port", webui.Port);
                WriteEnvironment(json, webui.Environment.Select(e => KeyValuePair.Create(e.Key, e.Value)));
                json.WriteString("environmentFile", webui.EnvironmentFile);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>A service's environment, as an object of strings in the given order.</summary>
    private static void WriteEnvironment(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, string>> environment)
    {
        json.WriteStartObject("environment");
        foreach (var (key, value) in environment)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }

    private static void WriteOllama(Utf8JsonWriter json, NixosOllamaValues? ollama)
    {
        if (ollama is null)
        {
            json.WriteNullValue();
            return;
        }

        json.WriteStartObject();
        json.WriteString("gpu", ollama.Gpu);
        json.WriteString("host", ollama.Host);
        json.WriteNumber("port", ollama.Port);
        WriteEnvironment(json, ollama.Environment);
        json.WriteStartArray("loadModels");
        foreach (var model in ollama.LoadModels)
        {
            json.WriteStringValue(model);
        }

        json.WriteEndArray();
        if (ollama.Storage is { } storage)
        {
            json.WriteStartObject("storage");
            json.WriteString("home", storage.Home);
            json.WriteString("models", storage.Models);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("storage");
        }

        json.WriteStartObject("limits");
        WriteNumberOrNull(json, "memoryMaxBytes", ollama.Limits.MemoryMaxBytes);
        WriteNumberOrNull(json, "cpuQuotaPercent", ollama.Limits.CpuQuotaPercent);
        json.WriteString("priority", ollama.Limits.Priority);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteProxy(Utf8JsonWriter json, NixosProxyValues? proxy)
    {
        if (proxy is null)
        {
            json.WriteNullValue();
            return;
        }

        json.WriteStartObject();
        json.WriteString("caddyfile", proxy.Caddyfile);
        json.WriteString("environmentFile", proxy.EnvironmentFile);
        json.WriteStartArray("openPorts");
        foreach (var port in proxy.OpenPorts)
        {
            json.WriteNumberValue(port);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
