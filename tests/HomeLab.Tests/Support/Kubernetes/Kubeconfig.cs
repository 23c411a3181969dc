namespace HomeLab.Tests.Support.Kubernetes;

/// <summary>A kubeconfig file (clientcmd's v1 Config: clusters, users, contexts, current-context) for a test cluster.</summary>
public static class Kubeconfig
{
    public static string Write(string directory, string server, string context, string token)
    {
        var path = Path.Combine(directory, $"kubeconfig-{context}.yaml");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: stand-in
              cluster:
                server: {server}
            users:
            - name: tester
              user:
                token: {token}
            contexts:
            - name: {context}
              context:
                cluster: stand-in
                user: tester
            current-context: {context}

            """);
        return path;
    }
}
