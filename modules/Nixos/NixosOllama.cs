using System.Globalization;
using System.Text;

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
    private const string NixosConfigDir = "/etc/nixos";

    /// <summary>Every step script starts here: stop at the first failing command, and report failures on one line.</summary>
    private const string ScriptHeader = "set -eu\nfail() { printf 'homelab: %s\\n' \"$1\" >&2; exit 1; }\n";


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
        var preflight = program.Add(PreflightName(host), "command:remote:Command", new MapValue(
            ("connection", connection),
            // Otherwise each re-run asks sshd to set PULUMI_COMMAND_STDOUT/STDERR (pulumi-command remote/commandOutputs.go)
            // and warns wherever sshd lacks AcceptEnv for them; no step reads its previous output.
            ("addPreviousOutputInEnv", false),
            ("create", PreflightScript(spec, host))), Options());

        // A reinstall gives the machine a new id, so replacing the preflight step re-runs every step after it.
        var machine = preflight.Output("stdout");
        var delivered = new List<Resource>
        {
            program.Add($"{host.Name}-nixos-module", "command:remote:Command", new MapValue(
                ("connection", connection),
                ("addPreviousOutputInEnv", false),
                ("create", Privileged(host, $"install -D -m 0644 /dev/stdin {Shell.Quote(ModulePath(host))}")),
                ("stdin", moduleText),
                ("triggers", new ListValue(machine))), Options(preflight)),
            program.Add($"{host.Name}-nixos-values", "command:remote:Command", new MapValue(
                ("connection", connection),
                ("addPreviousOutputInEnv", false),
                ("create", Privileged(host, $"install -D -m 0644 /dev/stdin {Shell.Quote(ValuesPath(host))}")),
                ("stdin", valuesJson),
                ("triggers", new ListValue(machine))), Options(preflight)),
        };

        if (values.Proxy?.EnvironmentFile is not null && spec.Proxy is { } proxy)
        {
            var credentials = proxy.Auth.Credentials();
            var lines = credentials.SelectMany(c => new object[] { $"{c.Variable}=", program.Secret(c.SecretKey), "\n" }).ToArray();
            delivered.Add(program.Add($"{host.Name}-caddy-env", "command:remote:Command", new MapValue(
                ("connection", connection),
                ("addPreviousOutputInEnv", false),
                ("create", EnvironmentScript(host, credentials.Count, CredentialVariables.Prefix, CaddyEnvironmentFile, "caddy")),
                ("stdin", new Interpolation(lines)),
                ("triggers", new ListValue(machine))), Options(preflight)));
        }

        if (values.Webui is { } webuiValues && spec.Webui is { } webui)
        {
            var secrets = WebuiEnvironment.Secrets(webui);
            var lines = secrets.SelectMany(s => new object[] { $"{s.Variable}=", program.Secret(s.SecretKey), "\n" }).ToArray();
            delivered.Add(program.Add($"{host.Name}-webui-env", "command:remote:Command", new MapValue(
                ("connection", connection),
                ("addPreviousOutputInEnv", false),
                ("create", EnvironmentScript(host, secrets.Count, "WEBUI_", webuiValues.EnvironmentFile, "open-webui")),
                ("stdin", new Interpolation(lines)),
                ("triggers", new ListValue(machine))), Options(preflight)));
        }

        return program.Add($"{host.Name}-nixos-rebuild", "command:remote:Command", new MapValue(
            ("connection", connection),
            ("addPreviousOutputInEnv", false),
            ("create", RebuildScript(spec, host, valuesDigest)),
            ("triggers", new ListValue(ContentDigest.Of(moduleText), valuesDigest, machine))), Options([.. delivered]));
    }

    /// <summary>Replaces the preflight step, and so every step after it: the way to redeploy a reinstalled host.</summary>
    public static string ReinstallCommand(StackSpec spec, NixosHostSpec host) =>
        $"pulumi up --stack {spec.Name} --replace urn:pulumi:{spec.Name}::homelab::command:remote:Command::{PreflightName(host)}";

    private static NixosOllamaValues OllamaValues(StackSpec spec, InstanceSpec instance)
    {
        var environment = new SortedList<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in instance.Tuning.ToEnvironment())
        {
            environment[key] = value;
        }

        foreach (var (key, value) in instance.Environment)
        {
            // An explicit 'env:' entry wins over the same variable from 'tuning:'.
            environment[key] = value;
        }

        var storage = instance.Storage.Path is { } path ? new NixosStorageValues(path.TrimEnd('/'), path.TrimEnd('/') + "/models") : null;
        var limits = new NixosLimitValues(
            instance.Resources.MemoryBytes,
            instance.Resources.Cpus is { } cpus ? (int)Math.Ceiling(Math.Round(cpus * 100, 6)) : null,
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

    private static string ModulePath(NixosHostSpec host) => $"{host.ModuleDir}/{NixosModule.FileName}";

    private static string ValuesPath(NixosHostSpec host) => $"{host.ModuleDir}/values.json";

    /// <summary>The module folder relative to /etc/nixos, or null when it lies outside (where a flake cannot import it).</summary>
    private static string? InsideNixosConfig(NixosHostSpec host) =>
        host.ModuleDir.StartsWith(NixosConfigDir + "/", StringComparison.Ordinal) ? host.ModuleDir[(NixosConfigDir.Length + 1)..] : null;

    private static string Privileged(NixosHostSpec host, string command) => host.Sudo ? "sudo -n " + command : command;

    private static string PreflightScript(StackSpec spec, NixosHostSpec host)
    {
        var script = new StringBuilder(ScriptHeader);
        script.Append("command -v nixos-rebuild >/dev/null 2>&1 || fail ")
            .Append(Shell.Quote($"{host.Name} ({host.Address}) is not a NixOS machine: nixos-rebuild is not on the PATH of user {host.Ssh.User}")).Append('\n');
        script.Append(ReleaseCheck(host));
        if (host.Sudo)
        {
            script.Append("sudo -n true 2>/dev/null || fail ")
                .Append(Shell.Quote($"user {host.Ssh.User} on {host.Name} cannot run sudo without a password; allow it in the host's configuration, e.g. " +
                    $"security.sudo.extraRules = [ {{ users = [ \"{host.Ssh.User}\" ]; commands = [ {{ command = \"ALL\"; options = [ \"NOPASSWD\" ]; }} ]; }} ];")).Append('\n');
        }

        script.Append(ImportCheck(spec, host));
        script.Append("cat /etc/machine-id\n");
        return script.ToString();
    }

    /// <summary>An older NixOS stops here with its version and the way on, instead of with a Nix trace in the middle of the rebuild.</summary>
    private static string ReleaseCheck(NixosHostSpec host)
    {
        var oldest = OldestNixosRelease.Replace(".", "", StringComparison.Ordinal);
        var script = new StringBuilder();
        script.Append("version=$(nixos-version) || fail ").Append(Shell.Quote($"{host.Name} ({host.Address}): nixos-version failed, so its NixOS release is unknown")).Append('\n');
        // 24.11.711815.9c6b49a (Vicuna) and 26.11pre912345.abcdef0 (unstable) both start with YY.MM.
        script.Append("release=$(printf '%s\\n' \"$version\" | sed -n 's/^\\([0-9][0-9]\\)\\.\\([0-9][0-9]\\).*/\\1\\2/p')\n");
        script.Append("[ \"${release:-0}\" -ge ").Append(oldest).Append(" ] || fail ")
            .Append(Shell.Quote($"{host.Name} ({host.Address}) runs NixOS ")).Append("\"$version\"")
            .Append(Shell.Quote($"; HomeLab's NixOS module needs NixOS {OldestNixosRelease} or newer (older releases' services.ollama has no host, port or loadModels options). " +
                "Upgrade the host (for example: switch its nixos channel to nixos-25.11 or newer, then nixos-rebuild switch --upgrade) and run pulumi up again."))
            .Append('\n');
        return script.ToString();
    }

    /// <summary>
    /// A quick look for the import line in /etc/nixos, so a first deploy fails with the line to add rather than
    /// with a rebuild that silently leaves the module out. The rebuild step proves it afterwards.
    /// </summary>
    private static string ImportCheck(StackSpec spec, NixosHostSpec host)
    {
        var modulePath = ModulePath(host);
        var relative = InsideNixosConfig(host) is { } dir ? $"./{dir}/{NixosModule.FileName}" : null;
        var activeLines = Privileged(host, $"find {NixosConfigDir} -name '*.nix' ! -path {Shell.Quote(host.ModuleDir + "/*")} -exec sed 's/#.*//' {{}} + 2>/dev/null");
        var script = new StringBuilder();
        script.Append("if [ -e ").Append(NixosConfigDir).Append("/flake.nix ]; then\n");
        if (relative is null)
        {
            script.Append("  fail ").Append(Shell.Quote($"a flake cannot import files outside {NixosConfigDir}: set 'moduleDir' of host '{host.Name}' in stacks/{spec.Name}.yaml to a folder under {NixosConfigDir}, such as {NixosConfigDir}/homelab")).Append('\n');
        }
        else
        {
            script.Append("  ").Append(activeLines).Append(" | grep -qF -e ").Append(Shell.Quote(relative)).Append(" || fail ")
                .Append(Shell.Quote($"{NixosConfigDir}/flake.nix does not import the HomeLab module. Add {relative} to the modules list of this host's nixosConfigurations entry, then run pulumi up again.")).Append('\n');
        }

        script.Append("else\n");
        script.Append("  ").Append(activeLines).Append(" | grep -qF -e ").Append(Shell.Quote(modulePath));
        if (relative is not null)
        {
            script.Append(" -e ").Append(Shell.Quote(relative));
        }

        script.Append(" || fail ").Append(Shell.Quote(
            $"{NixosConfigDir}/configuration.nix does not import the HomeLab module. Add this line inside its top-level {{ ... }} " +
            $"(or add the path to the imports list it already has), then run pulumi up again:\n    imports = [ {modulePath} ];")).Append('\n');
        script.Append("fi\n");
        return script.ToString();
    }

    private static string RebuildScript(StackSpec spec, NixosHostSpec host, string valuesHash)
    {
        // The stack's rebuild words are nixos-rebuild's own actions.
        var mode = SpecShape.Rebuilds.Of(host.Rebuild);

        // 'boot' only updates the system profile; 'switch' and 'test' activate the new system at once.
        var built = host.Rebuild is RebuildMode.Boot ? "/nix/var/nix/profiles/system" : "/run/current-system";
        var script = new StringBuilder(ScriptHeader);
        script.Append(ImportCheck(spec, host));
        if (InsideNixosConfig(host) is { } dir)
        {
            var files = $"{dir}/{NixosModule.FileName} {dir}/values.json";
            script.Append("if [ -e ").Append(NixosConfigDir).Append("/flake.nix ] && [ -d ").Append(NixosConfigDir).Append("/.git ] && ! ")
                .Append(Privileged(host, $"git -C {NixosConfigDir} ls-files --error-unmatch {files} >/dev/null 2>&1")).Append("; then\n")
                .Append("  fail ").Append(Shell.Quote($"the flake in {NixosConfigDir} cannot see files git does not track; run once: sudo git -C {NixosConfigDir} add --intent-to-add {files}")).Append('\n')
                .Append("fi\n");
        }

        // A login shell, so nixos-rebuild finds NIX_PATH as an administrator's shell would.
        script.Append(Privileged(host, "sh -lc " + Shell.Quote("nixos-rebuild " + mode))).Append('\n');
        var builtValues = $"{built}/etc/homelab/values.json";
        script.Append("printf '%s  %s\\n' ").Append(Shell.Quote(valuesHash["sha256:".Length..])).Append(' ').Append(Shell.Quote(builtValues))
            .Append(" | sha256sum -c --status || fail ")
            .Append(Shell.Quote($"nixos-rebuild {mode} finished, but the new system was not built from {ValuesPath(host)}: check that the import line in {NixosConfigDir} is active (not commented out or inside a disabled block)")).Append('\n');
        return script.ToString();
    }

    /// <summary>
    /// Writes a service's credentials (mode 0600, root) from stdin, so no secret appears on a command line: every
    /// line a variable starting with <paramref name="prefix"/>. Values that systemd's environment file parser or
    /// Caddy's placeholder expansion would misread are refused, and only variable names are ever printed.
    /// </summary>
    private static string EnvironmentScript(NixosHostSpec host, int credentials, string prefix, string path, string unit)
    {
        var script = new StringBuilder(ScriptHeader);
        script.Append("umask 077\n");
        script.Append("tmp=$(mktemp)\n");
        script.Append("trap 'rm -f \"$tmp\"' EXIT\n");
        script.Append("cat >\"$tmp\"\n");
        // A line that does not start a credential is the tail of a value with a line break: refuse it unprinted.
        var lineBreak = Shell.Quote("a proxy credential contains a line break; set it again with pulumi config set --secret");
        script.Append($"! grep -qv '^{prefix}[A-Za-z0-9_]*=' \"$tmp\" || fail ").Append(lineBreak).Append('\n');
        script.Append("[ \"$(grep -c '' \"$tmp\")\" = ").Append(credentials.ToString(CultureInfo.InvariantCulture)).Append(" ] || fail ").Append(lineBreak).Append('\n');
        script.Append($"bad=$(grep -Ev '^{prefix}[A-Za-z0-9_]+=[A-Za-z0-9._~+/=$:@-]+$' \"$tmp\" | sed 's/=.*//')\n");
        script.Append("[ -z \"$bad\" ] || fail ")
            .Append(Shell.Quote("proxy credentials may hold only letters, digits and ._~+/=$:@- (systemd and Caddy would misread others); set these again with pulumi config set --secret:"))
            .Append("\" $bad\"\n");
        script.Append(Privileged(host, $"install -D -m 0600 -o root -g root \"$tmp\" {path}")).Append('\n');
        // The service reads the file when it starts; a rebuild restarts it only when its own configuration changes.
        script.Append(Privileged(host, $"systemctl try-restart {unit}.service")).Append('\n');
        return script.ToString();
    }
}
