using System.Text.RegularExpressions;

namespace HomeLab.Spec;

/// <summary>
/// The shapes of names and tokens a stack file may use. They are strict on purpose: these values end up in
/// container names, Caddyfiles and Nix values, so anything outside them is refused at validation time.
/// </summary>
internal static partial class Names
{
    /// <summary>Host and instance names: they become Docker names, Pulumi resource names and Nix attribute values.</summary>
    [GeneratedRegex("^[a-z][a-z0-9-]{0,40}$", RegexOptions.CultureInvariant)]
    public static partial Regex Resource();

    /// <summary>Pulumi config keys; no '-' so they never collide with resource names, which always contain one.</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    public static partial Regex SecretKey();

    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$", RegexOptions.CultureInvariant)]
    public static partial Regex HostName();

    [GeneratedRegex(@"^([0-9]{1,3}\.){3}[0-9]{1,3}$", RegexOptions.CultureInvariant)]
    public static partial Regex IPv4();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant)]
    public static partial Regex EnvironmentKey();

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$", RegexOptions.CultureInvariant)]
    public static partial Regex UnixUser();

    [GeneratedRegex("^/([A-Za-z0-9._@+-]+/?)*$", RegexOptions.CultureInvariant)]
    public static partial Regex AbsolutePath();

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,62}$", RegexOptions.CultureInvariant)]
    public static partial Regex Volume();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    public static partial Regex HeaderName();

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$", RegexOptions.CultureInvariant)]
    public static partial Regex BasicAuthUser();

    [GeneratedRegex("^/([a-z0-9][a-z0-9._-]{0,62})?$", RegexOptions.CultureInvariant)]
    public static partial Regex RoutePrefix();

    /// <summary>An image reference pinned by tag or digest: registry/path:tag or @sha256:...</summary>
    [GeneratedRegex(@"^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$", RegexOptions.CultureInvariant)]
    public static partial Regex Image();

    /// <summary>A Kubernetes label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters.</summary>
    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    public static partial Regex LabelKey();

    /// <summary>A Kubernetes label value: empty, or at most 63 characters starting and ending with a letter or digit.</summary>
    [GeneratedRegex("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$", RegexOptions.CultureInvariant)]
    public static partial Regex LabelValue();

    public static bool IsAddress(string value) => HostName().IsMatch(value) || (IPv4().IsMatch(value) && value.Split('.').All(o => int.Parse(o, System.Globalization.CultureInfo.InvariantCulture) <= 255));
}
