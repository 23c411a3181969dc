using HomeLab.Conventions;
using HomeLab.Hooks;
using HomeLab.Modules.Proxy;
using HomeLab.Modules.Webui;
using HomeLab.Program;
using HomeLab.Spec;
using HomeLab.Spec.Shape;

namespace HomeLab.Modules.Nixos;

/// <summary>
/// Ollama (and the proxy, when it runs there) on a NixOS host: the compiler writes values.json, and the program
/// copies it with nix/homelab.nix to the host over SSH, then runs nixos-rebuild when either file changes.
/// </summary>
internal static class NixosOllama
{
    public const int ValuesSchema = 1;
    public const string CaddyEnvironmentFile = "/var/lib/homelab/caddy.env";

    /// <summary>
    /// The oldest NixOS release nix/homelab.nix supports: 24.05's services.ollama has no host, port, user or
    /// loadModels options. The module itself decides by the options a release declares; the preflight reads the
    /// version only to stop an older host before the rebuild, with this in the message.
    /// </summary>
    public const string OldestNixosRelease = "24.11";

    /// <summary>The type of every step on a NixOS host: a command run over SSH.</summary>
    private const string RemoteCommand = "command:remote:Command";

    public static NixosValues Values(StackSpec spec, NixosHostSpec host)
    {
        var instance = spec.InstancesOn(host).FirstOrDefault();
        var proxy = spec.Proxy is { } p && p.Host == host.Name ? p : null;
        return new NixosValues(
            ValuesSchema,
            spec.Name,
            host.Name,
            instance is null ? null : OllamaValues(spec, instance),
            proxy is null ? null : ProxyValues(spec, host, proxy))
        { Webui = NixosWebui.Values(spec, host) };
    }

    public static string ValuesJson(NixosValues values) => NixosValuesJson.Write(values);


    public static string PreflightName(NixosHostSpec host) => $"{host.Name}-nixos-preflight";

    /// <summary>
    /// The steps for one host, or null when nothing of the stack runs there. The returned rebuild step is what
    /// later steps (the post-deploy hooks) depend on.
    /// </summary>
    public static Resource? Add(ProgramBuilder program, StackSpec spec, NixosHostSpec host, string moduleText)
    {
        var values = Values(spec, host);
        if (values.Ollama is null && values.Proxy is null)
        {
            return null;
        }

        var valuesJson = ValuesJson(values);
        var valuesDigest = ContentDigest.Of(valuesJson);
        var connection = Connection(program, host);
        Resource Step(string name, Value create, Value? stdin, Value? triggers, params Resource[] dependsOn) =>
            program.Add(name, RemoteCommand, new MapValue(
                ("connection", connection),
                // Otherwise each re-run asks sshd to set PULUMI_COMMAND_STDOUT/STDERR (pulumi-command remote/commandOutputs.go)
                // and warns wherever sshd lacks AcceptEnv for them; no step reads its previous output.
                ("addPreviousOutputInEnv", false),
                ("create", create),
                ("stdin", stdin),
                ("triggers", triggers)), Options(dependsOn));

        var preflight = Step(PreflightName(host), NixosPreflightScript.Text(spec, host), null, null);

        // A reinstall gives the machine a new id, so replacing the preflight step re-runs every step after it.
        var machine = preflight.Output("stdout");
        var delivered = new List<Resource>
        {
            Step($"{host.Name}-nixos-module", Install(host, NixosScript.ModulePath(host)), moduleText, new ListValue(machine), preflight),
            Step($"{host.Name}-nixos-values", Install(host, NixosScript.ValuesPath(host)), valuesJson, new ListValue(machine), preflight),
        };

        if (values.Proxy?.EnvironmentFile is not null && spec.Proxy is { } proxy)
        {
            var credentials = proxy.Auth.Credentials();
            var lines = credentials.SelectMany(c => new object[] { $"{c.Variable}=", program.Secret(c.SecretKey), "\n" }).ToArray();
            delivered.Add(Step(
                $"{host.Name}-caddy-env",
                NixosEnvironmentScript.Text(host, credentials.Count, CredentialVariables.Prefix, CaddyEnvironmentFile, "caddy"),
                new Interpolation(lines),
                new ListValue(machine),
                preflight));
        }

        if (values.Webui is { } webuiValues && spec.Webui is { } webui)
        {
            var secrets = WebuiEnvironment.Secrets(webui);
            var lines = secrets.SelectMany(s => new object[] { $"{s.Variable}=", program.Secret(s.SecretKey), "\n" }).ToArray();
            delivered.Add(Step(
                $"{host.Name}-webui-env",
                NixosEnvironmentScript.Text(host, secrets.Count, "WEBUI_", webuiValues.EnvironmentFile, "open-webui"),
                new Interpolation(lines),
                new ListValue(machine),
                preflight));
        }

        return Step(
            $"{host.Name}-nixos-rebuild",
            NixosRebuildScript.Text(spec, host, valuesDigest),
            null,
            new ListValue(ContentDigest.Of(moduleText), valuesDigest, machine),
            [.. delivered]);
    }

    /// <summary>Replaces the preflight step, and so every step after it: the way to redeploy a reinstalled host.</summary>
    public static string ReinstallCommand(StackSpec spec, NixosHostSpec host) =>
        $"pulumi up --stack {spec.Name} --replace urn:pulumi:{spec.Name}::{PulumiProject.Name}::{RemoteCommand}::{PreflightName(host)}";

    private static NixosOllamaValues OllamaValues(StackSpec spec, InstanceSpec instance)
    {
        var environment = new SortedList<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in OllamaEnvironment.Of(instance).All)
        {
            environment.Add(key, value);
        }

        var storage = instance.Storage.Path is { } path ? new NixosStorageValues(path.TrimEnd('/'), path.TrimEnd('/') + "/models") : null;
        var limits = new NixosLimitValues(
            instance.Resources.MemoryBytes,
            instance.Resources.Cpus is { } cpus ? ProviderBehaviour.CpuHundredths(cpus) : null,
            SpecShape.Priorities.Of(instance.Resources.Priority ?? ProcessPriority.Normal));
        return new NixosOllamaValues(
            // values.json carries the stack's own words; nix/homelab.nix matches on them.
            SpecShape.GpuVendors.Of(instance.Gpu.Vendor),
            // Only the proxy and the host itself talk to Ollama.
            Endpoints.Loopback,
            instance.Port,
            environment,
            // The host pulls these by itself, even after a reinstall: the plain models and the bases the post-deploy
            // hooks build custom models from (the same list the hooks pull).
            HookPlan.For(spec, instance).PullTargets().Select(n => n.Written).ToList(),
            storage,
            limits);
    }

    private static NixosProxyValues ProxyValues(StackSpec spec, NixosHostSpec host, ProxySpec proxy)
    {
        var caddyfile = CaddyProxy.Render(spec, proxy, new CaddySite(proxy.HttpPort, proxy.HttpsPort, instance =>
            instance.Host == host.Name ? Endpoints.LoopbackUpstream(instance.Port) : $"{spec.Host(instance.Host).Address}:{instance.Publish!.Port}", WebuiUpstream: WebuiEndpoints.LoopbackUpstream));
        return new NixosProxyValues(
            caddyfile,
            proxy.Auth.IsOpen ? null : CaddyEnvironmentFile,
            proxy.Tls is TlsMode.Off ? [proxy.HttpPort] : [proxy.HttpPort, proxy.HttpsPort]);
    }

    private static MapValue Connection(ProgramBuilder program, NixosHostSpec host) => new(
        ("host", host.Address),
        ("port", host.Ssh.Port),
        ("user", host.Ssh.User),
        // pulumi-command accepts any host key when none is given (provider/pkg/provider/remote/connection.go,
        // connectionBase.SSHConfig: ssh.InsecureIgnoreHostKey); with one it uses ssh.FixedHostKey.
        ("hostKey", host.Ssh.HostKey?.ToString() ?? throw new ArgumentException($"host '{host.Name}' has no SSH host key; validation requires one", nameof(host))),
        // Without a key the provider uses the SSH agent of whoever runs pulumi.
        ("privateKey", host.Ssh.PrivateKeySecret is { } key ? program.Secret(key) : null));

    private static ResourceOptions Options(params Resource[] dependsOn) =>
        new(Version: Pins.CommandProvider, DependsOn: dependsOn.Length > 0 ? dependsOn.Select(r => new Ref(r.Name)).ToList() : null);

    /// <summary>Copies stdin to <paramref name="path"/> on the host, readable by all (a module and its values hold no secret).</summary>
    private static string Install(NixosHostSpec host, string path) =>
        NixosScript.Privileged(host, $"install -D -m 0644 /dev/stdin {Shell.Quote(path)}");
}
