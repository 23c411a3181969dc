using System.Globalization;
using System.Text;

namespace HomeLab.Status;

/// <summary>
/// The status as Prometheus' text exposition format (version 0.0.4), for node_exporter's textfile collector: each
/// family once, with HELP and TYPE lines and its samples together; label values escaped (backslash, double quote,
/// line feed) as the format requires. Ollama exports no metrics of its own, so these are the lab's.
/// </summary>
internal static class PrometheusText
{
    public static string Render(LabStatus status)
    {
        var text = new StringBuilder();
        var stack = new[] { ("stack", status.Stack) };
        Family(text, "homelab_status_healthy", "1 when every instance is reachable and as the stack declares it, the proxy refuses anonymous requests, and the front end is healthy.",
            [(stack, Flag(status.Healthy))]);
        Family(text, "homelab_status_timestamp_seconds", "When this status was taken (Unix time), to alert on a stale file.",
            [(stack, status.CheckedAt.ToUnixTimeMilliseconds() / 1000.0)]);
        Family(text, "homelab_instance_up", "1 when the Ollama instance answered through the hooks' route.",
            status.Instances.Select(i => (Instance(status, i), Flag(i.Reachable))));
        Family(text, "homelab_instance_healthy", "1 when the instance has no problem (missing or drifted models, CPU-only on a GPU instance).",
            status.Instances.Select(i => (Instance(status, i), Flag(i.Healthy))));
        Family(text, "homelab_instance_problems", "How many problems status found on the instance.",
            status.Instances.Select(i => (Instance(status, i), (double)i.Problems.Count)));
        Family(text, "homelab_ollama_info", "The Ollama version an instance reports; always 1.",
            status.Instances.Where(i => i.Version is not null).Select(i => (Instance(status, i).Append(("version", i.Version!)).ToArray(), 1.0)));
        Family(text, "homelab_model_present", "1 when a declared model (or the base of a custom one) is on the instance, 0 when it is missing.",
            Models(status, m => m.State is not ModelState.Extra).Select(x => (x.Labels, Flag(x.Model.State is not ModelState.Missing))));
        Family(text, "homelab_model_drifted", "1 when a custom model's stored definition differs from the stack.",
            Models(status, m => m.State is not ModelState.Extra).Select(x => (x.Labels, Flag(x.Model.State is ModelState.Drifted))));
        Family(text, "homelab_model_extra", "A model on the instance that the stack does not declare; always 1.",
            Models(status, m => m.State is ModelState.Extra).Select(x => (x.Labels, 1.0)));
        Family(text, "homelab_model_loaded_bytes", "Memory a loaded model takes (Ollama /api/ps size).",
            Loaded(status).Select(x => (x.Labels, (double)x.Model.Size)));
        Family(text, "homelab_model_vram_bytes", "The part of a loaded model in GPU memory (Ollama /api/ps size_vram).",
            Loaded(status).Select(x => (x.Labels, (double)x.Model.SizeVram)));
        Family(text, "homelab_model_vram_ratio", "Share of a loaded model in GPU memory, 0 to 1; the rest runs on the CPU.",
            Loaded(status).Select(x => (x.Labels, x.Model.VramRatio)));
        Family(text, "homelab_model_expiry_timestamp_seconds", "When Ollama unloads the model (Unix time).",
            Loaded(status).Where(x => x.Model.ExpiresAt is not null).Select(x => (x.Labels, x.Model.ExpiresAt!.Value.ToUnixTimeMilliseconds() / 1000.0)));
        if (status.Proxy is { } proxy)
        {
            Family(text, "homelab_proxy_refuses_anonymous", "1 when the proxy refused a request without credentials (HTTP 401 or 403).",
                [(new[] { ("stack", status.Stack), ("url", proxy.Url.AbsoluteUri) }, Flag(proxy.RefusesAnonymous))]);
        }

        if (status.Webui is { } webui)
        {
            Family(text, "homelab_webui_healthy", "1 when the chat front end answered its health endpoint through the proxy with status true.",
                [(new[] { ("stack", status.Stack), ("url", webui.Url.AbsoluteUri) }, Flag(webui.Healthy))]);
        }

        return text.ToString();
    }

    private static (string, string)[] Instance(LabStatus status, InstanceStatus instance) =>
        instance.Replica is { } replica
            ? [("stack", status.Stack), ("instance", instance.Instance), ("replica", replica.ToString(CultureInfo.InvariantCulture)), ("host", instance.Host)]
            : [("stack", status.Stack), ("instance", instance.Instance), ("host", instance.Host)];

    private static IEnumerable<((string, string)[] Labels, ModelStatus Model)> Models(LabStatus status, Func<ModelStatus, bool> which) =>
        status.Instances.SelectMany(i => i.Models.Where(which).Select(m => (Instance(status, i).Append(("model", m.Name)).ToArray(), m)));

    private static IEnumerable<((string, string)[] Labels, LoadedModel Model)> Loaded(LabStatus status) =>
        status.Instances.SelectMany(i => i.Loaded.Select(m => (Instance(status, i).Append(("model", m.Name)).ToArray(), m)));

    private static void Family(StringBuilder text, string name, string help, IEnumerable<((string Name, string Value)[] Labels, double Value)> samples)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" gauge\n");
        foreach (var (labels, value) in samples)
        {
            text.Append(name).Append('{')
                .AppendJoin(',', labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\""))
                .Append("} ").Append(Number(value)).Append('\n');
        }
    }

    /// <summary>Label values: backslash, double quote and line feed escaped, nothing else.</summary>
    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    private static double Flag(bool value) => value ? 1 : 0;
}
