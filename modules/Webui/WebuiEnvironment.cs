using HomeLab.Conventions;
using HomeLab.Spec;

namespace HomeLab.Modules.Webui;

/// <summary>
/// Open WebUI's settings for a stack's front end, the same on every target: the plain ones as variables, and the names
/// of the two variables that carry secrets (their values come from Pulumi secret config, never from here).
/// </summary>
/// <remarks>
/// Every variable is read by Open WebUI's backend/open_webui/env.py or config.py (stored versions env.py @3773001f,
/// config.py @00b1c6bc; the admin variables from env.py's "Admin Account Runtime Creation" block). Settings that
/// config.py keeps as PersistentConfig are saved in the database on first start and win over the environment from
/// then on, unless ENABLE_PERSISTENT_CONFIG is False: the stack file stays the one source of truth.
/// </remarks>
internal static class WebuiEnvironment
{
    /// <summary>env.py: signs Open WebUI's session tokens; without it start.sh writes a random one into the image's working directory.</summary>
    public const string SecretKeyVariable = "WEBUI_SECRET_KEY";

    /// <summary>env.py: with WEBUI_ADMIN_EMAIL, the first admin Open WebUI creates at start when it has no users.</summary>
    public const string AdminPasswordVariable = "WEBUI_ADMIN_PASSWORD";

    /// <summary>
    /// Where the image's container writes besides its data volume, a scratch file system: Open WebUI writes its
    /// database, uploads and caches under DATA_DIR and copies its static files into STATIC_DIR at every start
    /// (config.py, "Static DIR"), which with a read-only root must lie here.
    /// </summary>
    public const string ScratchPath = "/tmp";

    /// <summary>
    /// The settings of the image's container (Docker, Kubernetes): <see cref="For"/> and the scratch paths of a
    /// read-only root. HOME too: the image sets HOME=/root (its Dockerfile, stored version @08d67bf0), which is
    /// read-only here and, to the unprivileged user the container runs as, not even readable (Debian's /root is
    /// mode 700), while the libraries inside Open WebUI keep caches under ~/.cache (the Dockerfile writes chromadb's
    /// $HOME/.cache/chroma/telemetry_user_id there). Open WebUI itself writes nothing under HOME or its working directory:
    /// env.py puts everything under DATA_DIR, and start.sh writes .webui_secret_key into /app/backend only when
    /// WEBUI_SECRET_KEY is empty (start.sh, stored version @8b020075), which it never is here.
    /// </summary>
    public static IReadOnlyList<(string Key, string Value)> ForImage(StackSpec spec, WebuiSpec webui, IEnumerable<string> ollamaUrls) =>
        [.. For(spec, webui, ollamaUrls), ("STATIC_DIR", $"{ScratchPath}/static"), ("HOME", ScratchPath)];

    /// <summary>The plain settings, in a fixed order, for <paramref name="ollamaUrls"/> (the instances, as Open WebUI reaches them).</summary>
    public static IReadOnlyList<(string Key, string Value)> For(StackSpec spec, WebuiSpec webui, IEnumerable<string> ollamaUrls)
    {
        var proxy = spec.Proxy ?? throw new InvalidOperationException("a front end is always behind the proxy (WebuiChecks)");
        var settings = new List<(string, string)>
        {
            // config.py: OLLAMA_BASE_URLS, split on ';'.
            ("OLLAMA_BASE_URLS", string.Join(';', ollamaUrls)),
            ("ENABLE_OLLAMA_API", "True"),
            // config.py: ENABLE_OPENAI_API defaults to True, and OPENAI_API_BASE_URL to https://api.openai.com/v1.
            ("ENABLE_OPENAI_API", webui.OpenAiApi ? "True" : "False"),
            // env.py: OFFLINE_MODE sets HF_HUB_OFFLINE=1 and turns ENABLE_VERSION_UPDATE_CHECK off.
            ("OFFLINE_MODE", "True"),
            // Telemetry of the libraries inside Open WebUI (Scarf, chromadb's posthog); the values its Dockerfile and
            // nixpkgs' services.open-webui set by default.
            ("SCARF_NO_ANALYTICS", "True"),
            ("DO_NOT_TRACK", "True"),
            ("ANONYMIZED_TELEMETRY", "False"),
            ("ENABLE_PERSISTENT_CONFIG", "False"),
            // env.py: WEBUI_AUTH (sign-in required); config.py: ENABLE_SIGNUP (no one signs themselves up).
            ("WEBUI_AUTH", "True"),
            ("ENABLE_SIGNUP", "False"),
            // config.py: WEBUI_URL, the address Open WebUI names itself by (links, OAuth-free redirects).
            ("WEBUI_URL", proxy.UrlFor(webui.Domain)),
        };
        if (webui.SignIn is SignInMode.Proxy)
        {
            // env.py: the proxy names the user; config.py: ENABLE_LOGIN_FORM off, as there is no password to type.
            settings.Add(("WEBUI_AUTH_TRUSTED_EMAIL_HEADER", WebuiEndpoints.TrustedEmailHeader));
            settings.Add(("WEBUI_AUTH_TRUSTED_NAME_HEADER", WebuiEndpoints.TrustedNameHeader));
            settings.Add(("ENABLE_LOGIN_FORM", "False"));
        }
        else
        {
            settings.Add(("WEBUI_ADMIN_EMAIL", webui.AdminEmail!));
        }

        return settings;
    }

    /// <summary>The secret variables and the secret config keys their values come from.</summary>
    public static IReadOnlyList<(string Variable, string SecretKey)> Secrets(WebuiSpec webui) =>
        webui.AdminPasswordSecret is { } admin
            ? [(SecretKeyVariable, webui.SecretKeySecret), (AdminPasswordVariable, admin)]
            : [(SecretKeyVariable, webui.SecretKeySecret)];
}
