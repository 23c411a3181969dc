using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using HomeLab.Conventions;
using HomeLab.Spec;
using HomeLab.Tools;
using HomeLab.Workspace;

namespace HomeLab.Hooks;

/// <summary>
/// How a command reaches a deployed stack's instances, shared by <c>homelab hooks</c> and <c>homelab status</c>: which
/// instances it addresses, the base URL an operator may put instead of the stack's, the root certificate it trusts,
/// and the proxy credential it reads from the environment.
/// </summary>
internal static class InstanceAccess
{
    /// <summary>The variable that names a PEM root certificate to trust when --ca-cert is not given.</summary>
    public const string CaCertificateVariable = "HOMELAB_CA_CERT";

    /// <summary>The instances a command addresses: all, or the one --instance names; --url fits only one.</summary>
    public static IReadOnlyList<InstanceSpec> Instances(StackSpec spec, string? instance, string? url)
    {
        IReadOnlyList<InstanceSpec> instances = instance is null
            ? spec.Instances
            : [spec.Instances.FirstOrDefault(i => i.Name == instance)
                ?? throw new UsageException($"stack '{spec.Name}' has no instance '{instance}' — its instances: {string.Join(", ", spec.Instances.Select(i => i.Name))}")];
        return url is not null && instances.Count > 1 ? throw new UsageException("--url names one instance's address; add --instance NAME") : instances;
    }

    /// <summary>
    /// An instance's hook plans (one per replica where the proxy pins replicas, <see cref="HookPlan.PerReplica"/>), at
    /// <paramref name="url"/> when the operator gave one, and the credential they send.
    /// </summary>
    public static (IReadOnlyList<HookPlan> Plans, HookCredential? Credential) Plans(StackSpec spec, InstanceSpec instance, Uri? url, Func<string, string?> environment)
    {
        var plans = HookPlan.PerReplica(spec, instance)
            .Select(plan => plan with { BaseUrl = url ?? plan.BaseUrl, Webui = WebuiAt(spec, plan.Webui, url) })
            .ToList();
        return (plans, plans[0].Credential is { } variable ? ReadCredential(spec, variable, environment) : null);
    }

    /// <summary>The chat front end <paramref name="webui"/> names, moved with the proxy when the operator gave its address (<see cref="WebuiPlan.At"/>).</summary>
    public static WebuiPlan? WebuiAt(StackSpec spec, WebuiPlan? webui, Uri? url) => url is null ? webui : webui?.At(url, spec.Proxy!.Domain);

    /// <summary>
    /// The connection to the chat front end <paramref name="webui"/> names, through the proxy with the hooks' credential;
    /// with <paramref name="signIn"/> in sign-in mode webui, the admin password read from the environment as well.
    /// </summary>
    public static WebuiConnection? Webui(WebuiPlan? webui, HttpMessageHandler handler, HookCredential? credential, bool signIn, Func<string, string?> environment, TimeSpan requestTimeout, string stack)
    {
        if (webui is null)
        {
            return null;
        }

        var password = signIn && webui.AdminPassword is { } variable
            ? NonEmpty(environment(variable.Variable)) ?? throw new UsageException(Unset(variable, stack, "the hooks sign in to the front end as its admin with"))
            : null;
        return new WebuiConnection(handler, webui, credential, password, requestTimeout);
    }

    /// <summary>
    /// The root certificate to trust besides the system's: the operator's (--ca-cert, HOMELAB_CA_CERT), else
    /// the proxy's internal CA read from the proxy host when the hooks go through it, else none.
    /// </summary>
    /// <param name="projectRoot">Where the command that reads the proxy's CA runs.</param>
    /// <param name="tools">Runs the command that reads the proxy's internal CA (docker or ssh).</param>
    public static X509Certificate2? TrustedRoot(StackSpec spec, string? caCertificate, string projectRoot, Func<string, string?> environment, IToolRunner tools, TextWriter log)
    {
        if ((caCertificate ?? NonEmpty(environment(CaCertificateVariable))) is { } file)
        {
            if (!File.Exists(file))
            {
                throw new UsageException($"CA certificate file '{file}' does not exist — give the proxy's root certificate (PEM) with --ca-cert or ${CaCertificateVariable}");
            }

            try
            {
                return X509CertificateLoader.LoadCertificateFromFile(file);
            }
            catch (CryptographicException e)
            {
                throw new UsageException($"CA certificate file '{file}' is not a certificate ({e.Message}) — give the proxy's root certificate in PEM form");
            }
        }

        return spec.HooksThroughProxy && ProxyRootCertificate.ReadCommand(spec, projectRoot) is { } command
            ? ProxyRootCertificate.Read(command, tools, log)
            : null;
    }

    /// <summary>The operator's --url: an http(s) address without credentials.</summary>
    public static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"--url '{text}' is not an http:// or https:// address");
        }

        if (url.UserInfo.Length > 0)
        {
            throw new UsageException("--url carries credentials; remove them — the hooks read the proxy credential from the environment");
        }

        return url;
    }

    private static HookCredential ReadCredential(StackSpec spec, CredentialVariable variable, Func<string, string?> environment) =>
        NonEmpty(environment(variable.Variable)) is { } value
            ? HookCredential.From(spec.Proxy!.Auth, variable, value)
            : throw new UsageException(Unset(variable, spec.Name, "the hooks reach the proxy with"));

    private static string Unset(CredentialVariable variable, string stack, string what) =>
        $"{what} secret config '{variable.SecretKey}', but {variable.Variable} is not set — Pulumi sets it; "
            + $"by hand run: export {variable.Variable}=\"$({SecretCommands.Get(variable.SecretKey, stack)})\"";

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
