namespace HomeLab.Conventions;

/// <summary>
/// Where the chat front end (Open WebUI) listens, what it answers on, and the headers the proxy vouches for a user
/// with. Facts from Open WebUI's source (backend/open_webui, stored versions: env.py @3773001f, config.py @00b1c6bc,
/// main.py @cf17bb9e); the image is pinned in <see cref="Pins.WebuiImage"/>.
/// </summary>
internal static class WebuiEndpoints
{
    /// <summary>The port the image serves on (Dockerfile: ENV PORT=8080, start.sh: uvicorn --port $PORT) and services.open-webui's default.</summary>
    public const int Port = 8080;

    /// <summary>main.py, healthcheck(): GET /health answers {"status": true} without sign-in once the app has started.</summary>
    public const string HealthPath = "/health";

    /// <summary>main.py, get_models(): GET /api/models lists the models a signed-in user may use ({"data": [{"id": ...}]}).</summary>
    public const string ModelsPath = "/api/models";

    /// <summary>routers/auths.py, signin(): with a trusted e-mail header configured, a POST here signs in (and on first sight signs up) the user the header names.</summary>
    public const string SignInPath = "/api/v1/auths/signin";

    /// <summary>The variable the hooks read the front end's admin password from (sign-in mode webui); Pulumi sets it from the admin password's secret config.</summary>
    public const string AdminPasswordVariable = CredentialVariables.Prefix + "WEBUI_ADMIN_PASSWORD";

    /// <summary>
    /// The unprivileged user and group Open WebUI runs as in its Docker container, and owns its data as. The image is
    /// built as root (its Dockerfile: ARG UID=0, GID=0, USER $UID:$GID; stored version @08d67bf0) on
    /// python:3.11-slim-bookworm, whose users and groups are Debian's base-passwd system ids (below 100, and nobody,
    /// 65534): no user or group of the image has this number, so it owns nothing there but what HomeLab gives it.
    /// </summary>
    public const int User = 1000;

    /// <summary><see cref="User"/> as Docker's 'user' field takes it (numeric user:group, so no passwd lookup).</summary>
    public static string UserAndGroup => $"{User}:{User}";

    /// <summary>DATA_DIR inside the image (env.py: DATA_DIR defaults to backend/data; the Dockerfile's WORKDIR is /app/backend).</summary>
    public const string DataPath = "/app/backend/data";

    /// <summary>The header the proxy names the signed-in user's e-mail in (WEBUI_AUTH_TRUSTED_EMAIL_HEADER, env.py).</summary>
    public const string TrustedEmailHeader = "X-HomeLab-User-Email";

    /// <summary>The header the proxy names the signed-in user in (WEBUI_AUTH_TRUSTED_NAME_HEADER, env.py).</summary>
    public const string TrustedNameHeader = "X-HomeLab-User-Name";

    /// <summary>The network alias of the front end's container; instance containers use their names, so the stack check keeps an instance from taking this one.</summary>
    public const string ContainerAlias = "homelab-webui";

    /// <summary>The front end's container by its network alias on its host's internal network, as host:port.</summary>
    public static string ContainerUpstream => $"{ContainerAlias}:{Port}";

    /// <summary>The front end on its NixOS host's loopback, as host:port.</summary>
    public static string LoopbackUpstream => $"{Endpoints.Loopback}:{Port}";

    /// <summary>The e-mail address the proxy names a basic-auth user by: Open WebUI's signup wants an address (utils/misc.py, validate_email_format).</summary>
    public static string TrustedEmail(string user, string domain) => $"{user}@{domain}";
}
