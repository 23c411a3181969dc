namespace HomeLab.Status;

/// <summary>What a request without credentials got from the proxy: it must be refused (401 or 403).</summary>
internal sealed record ProxyStatus(Uri Url, int? AnonymousStatus, string? Problem)
{
    public bool RefusesAnonymous => AnonymousStatus is 401 or 403;
}

/// <summary>A deployed stack as seen at <see cref="CheckedAt"/>: each instance, the proxy when the route goes through one, and the chat front end behind it.</summary>
internal sealed record LabStatus(string Stack, DateTimeOffset CheckedAt, IReadOnlyList<InstanceStatus> Instances, ProxyStatus? Proxy)
{
    public WebuiStatus? Webui { get; init; }

    public bool Healthy => Instances.All(i => i.Healthy) && Proxy?.Problem is null && Webui?.Problem is null;
}
