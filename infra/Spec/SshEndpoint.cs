namespace HomeLab.Spec;

internal sealed record SshEndpoint(string User, string Host, int Port)
{
    public string DockerHost => Port == 22 ? $"ssh://{User}@{Host}" : $"ssh://{User}@{Host}:{Port}";
}
