namespace HomeLab.Spec;

/// <summary>How a Kubernetes host exposes the proxy: the Service type (core/v1 ServiceSpec.type).</summary>
internal enum ProxyServiceType
{
    LoadBalancer,
    NodePort,
    ClusterIP,
}
