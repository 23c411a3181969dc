using HomeLab.Program;

namespace HomeLab.Modules.Kubernetes;

/// <summary>A kubelet HTTP probe of a container's named port: a GET of a path, with a 5-second timeout.</summary>
internal static class KubernetesHttpProbe
{
    public static MapValue Http(string path, string port, int periodSeconds, int failureThreshold) => new(
        ("httpGet", new MapValue(("path", path), ("port", port))),
        ("periodSeconds", periodSeconds),
        ("timeoutSeconds", 5),
        ("failureThreshold", failureThreshold));
}
