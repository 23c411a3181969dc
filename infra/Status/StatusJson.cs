using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace HomeLab.Status;

/// <summary>The status as JSON for scripts: the same facts as the table, with sizes in bytes and times in ISO 8601.</summary>
internal static class StatusJson
{
    public static string Render(LabStatus status)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("stack", status.Stack);
            json.WriteString("checkedAt", Time(status.CheckedAt));
            json.WriteBoolean("healthy", status.Healthy);
            json.WriteStartArray("instances");
            foreach (var instance in status.Instances)
            {
                Write(json, instance);
            }

            json.WriteEndArray();
            if (status.Proxy is { } proxy)
            {
                json.WriteStartObject("proxy");
                json.WriteString("url", proxy.Url.AbsoluteUri);
                if (proxy.AnonymousStatus is { } code)
                {
                    json.WriteNumber("anonymousStatus", code);
                }

                json.WriteBoolean("refusesAnonymous", proxy.RefusesAnonymous);
                if (proxy.Problem is { } problem)
                {
                    json.WriteString("problem", problem);
                }

                json.WriteEndObject();
            }

            if (status.Webui is { } webui)
            {
                json.WriteStartObject("webui");
                json.WriteString("url", webui.Url.AbsoluteUri);
                json.WriteBoolean("healthy", webui.Healthy);
                if (webui.Problem is { } webuiProblem)
                {
                    json.WriteString("problem", webuiProblem);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Write(Utf8JsonWriter json, InstanceStatus instance)
    {
        json.WriteStartObject();
        json.WriteString("instance", instance.Instance);
        if (instance.Replica is { } replica)
        {
            json.WriteNumber("replica", replica);
        }

        json.WriteString("host", instance.Host);
        json.WriteString("url", instance.Url.AbsoluteUri);
        json.WriteBoolean("reachable", instance.Reachable);
        json.WriteBoolean("healthy", instance.Healthy);
        if (instance.Version is { } version)
        {
            json.WriteString("version", version);
        }

        json.WriteStartArray("models");
        foreach (var model in instance.Models)
        {
            json.WriteStartObject();
            json.WriteString("name", model.Name);
            json.WriteString("state", ModelStateWords.Of(model.State));
            if (model.Differences.Count > 0)
            {
                json.WriteStartArray("differences");
                model.Differences.ToList().ForEach(json.WriteStringValue);
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("loaded");
        foreach (var model in instance.Loaded)
        {
            json.WriteStartObject();
            json.WriteString("name", model.Name);
            json.WriteNumber("size", model.Size);
            json.WriteNumber("sizeVram", model.SizeVram);
            json.WriteNumber("vramRatio", Math.Round(model.VramRatio, 4));
            if (model.ExpiresAt is { } expires)
            {
                json.WriteString("expiresAt", Time(expires));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("problems");
        instance.Problems.ToList().ForEach(json.WriteStringValue);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
