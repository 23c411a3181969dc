namespace HomeLab.Deploy;

internal enum BackendSource
{
    /// <summary>PULUMI_BACKEND_URL is set: a self-hosted backend (S3/MinIO, a file path, ...).</summary>
    BackendUrl,

    /// <summary>PULUMI_ACCESS_TOKEN is set: Pulumi Cloud.</summary>
    AccessToken,

    /// <summary>pulumi whoami answers: the operator logged in to a backend before.</summary>
    LoggedIn,

    /// <summary>Nothing configured: the file backend inside the repository.</summary>
    LocalDefault,
}
