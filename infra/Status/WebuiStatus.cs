namespace HomeLab.Status;

/// <summary>What the chat front end answered on its health endpoint through the proxy; a problem when it did not say it is healthy.</summary>
internal sealed record WebuiStatus(Uri Url, bool Healthy, string? Problem);
