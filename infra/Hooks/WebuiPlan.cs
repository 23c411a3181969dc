using HomeLab.Conventions;
using HomeLab.Spec;

namespace HomeLab.Hooks;

/// <summary>
/// How the hooks and status reach the chat front end: at its own domain under the proxy, signed in the way the stack
/// says. Only through the proxy: it is the front end's one way in.
/// </summary>
/// <param name="AdminPassword">In sign-in mode webui, where the admin password comes from; null in mode proxy.</param>
internal sealed record WebuiPlan(Uri Url, SignInMode SignIn, string? AdminEmail, CredentialVariable? AdminPassword)
{
    /// <summary>The stack's front end, when it has one and the hooks go through the proxy.</summary>
    public static WebuiPlan? For(StackSpec spec) =>
        spec is { Webui: { } webui, Proxy: { } proxy, HooksThroughProxy: true }
            ? new WebuiPlan(
                new Uri(proxy.UrlFor(webui.Domain) + "/"),
                webui.SignIn,
                webui.AdminEmail,
                webui.AdminPasswordSecret is { } key ? new CredentialVariable(WebuiEndpoints.AdminPasswordVariable, key) : null)
            : null;

    /// <summary>The front end that one instance's hooks check: the stack's, when it talks to that instance.</summary>
    public static WebuiPlan? For(StackSpec spec, InstanceSpec instance) =>
        spec.Webui?.Instances.Contains(instance.Name) == true ? For(spec) : null;

    /// <summary>
    /// With the operator's address for the proxy (--url), the front end on the same scheme and port under its own
    /// domain; none when that address is not the proxy's domain, as the front end has no address of its own.
    /// </summary>
    public WebuiPlan? At(Uri proxyUrl, string proxyDomain) =>
        string.Equals(proxyUrl.Host, proxyDomain, StringComparison.OrdinalIgnoreCase)
            ? this with { Url = new UriBuilder(Url) { Scheme = proxyUrl.Scheme, Port = proxyUrl.Port }.Uri }
            : null;
}
