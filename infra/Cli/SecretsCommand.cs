using System.Collections;
using System.CommandLine;
using System.Security.Cryptography;

using HomeLab.Conventions;
using HomeLab.Deploy;
using HomeLab.Modules;
using HomeLab.Modules.Proxy;
using HomeLab.Tools;
using HomeLab.Workspace;

namespace HomeLab.Cli;

/// <summary>What an operator asked of <c>homelab secrets</c>.</summary>
internal sealed record SecretsRequest(string Stack, bool SetMissing);

/// <summary>
/// <c>homelab secrets STACK [--set-missing]</c>: the secret config keys a stack needs and whether each is set, read
/// from PULUMI_CONFIG or stacks/Pulumi.&lt;stack&gt;.yaml (where <c>pulumi config set</c> writes, Pulumi.yaml's
/// stackConfigDir), so listing needs neither Pulumi nor the passphrase. With --set-missing each unset key gets a value
/// through <c>pulumi config set --secret KEY --stack STACK</c> with the value on stdin, never in argv: pulumi reads
/// all of stdin when it is not a terminal and drops one trailing newline (pkg/cmd/pulumi/config/config_set.go,
/// configSetCmd.Run). No value is ever printed. Exit 0 when every key is set (encrypted), 1 when one is not, 2 for bad input.
/// </summary>
internal static class SecretsCommand
{
    private static readonly TimeSpan PulumiTimeout = TimeSpan.FromMinutes(2);

    public static Command Create()
    {
        var stack = new Argument<string>("STACK") { Description = "Stack whose secret config to list" };
        var setMissing = new Option<bool>("--set-missing")
        {
            Description = "Set each missing key with pulumi config set --secret: tokens and API keys generated (32 random bytes, hex), " +
                "basic-auth passwords asked without echo (or one line each from stdin) and stored as bcrypt hashes",
        };
        var command = new Command("secrets", "List the secret config keys a stack needs and whether each is set; --set-missing sets them. Prints no secret.")
        {
            stack, setMissing,
        };
        command.SetAction(result => Cli.Guard(() =>
        {
            Func<string, string> passwords = Console.IsInputRedirected ? user => StdinLine(user) : user => PasswordPrompt.ReadTwice($"Password for {user}");
            var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
            return Run(new SecretsRequest(result.GetValue(stack)!, result.GetValue(setMissing)), ProjectDirectory.Find(), SystemToolRunner.Instance, environment, passwords, Console.Out, Console.Error);
        }));
        return command;
    }

    /// <param name="passwords">The password for a basic-auth user, asked for only with --set-missing and before any pulumi call.</param>
    public static int Run(SecretsRequest request, ProjectDirectory workspace, IToolRunner tools, IReadOnlyDictionary<string, string?> environment, Func<string, string> passwords, TextWriter stdout, TextWriter stderr)
    {
        var spec = workspace.Load(request.Stack, Targets.Rules);
        var secrets = SecretRequirement.Of(spec);
        var config = StackSecretConfig.Read(workspace, request.Stack, k => environment.GetValueOrDefault(k));
        if (secrets.Count == 0)
        {
            stdout.WriteLine($"stack {spec.Name} needs no secret config");
            return ExitCodes.Ok;
        }

        var state = secrets.ToDictionary(s => s.Key, s => config?.State(s.Key) ?? SecretState.NotSet, StringComparer.Ordinal);
        if (request.SetMissing)
        {
            var result = SetMissing(spec.Name, secrets.Where(s => state[s.Key] is SecretState.NotSet).ToList(), workspace, tools, environment, passwords, stdout, stderr);
            if (result is not null)
            {
                return result.Value;
            }

            config = StackSecretConfig.Read(workspace, request.Stack, k => environment.GetValueOrDefault(k));
            state = secrets.ToDictionary(s => s.Key, s => config?.State(s.Key) ?? state[s.Key], StringComparer.Ordinal);
        }

        stdout.WriteLine($"stack {spec.Name}: {secrets.Count} secret config key(s), checked in {config?.Source ?? $"stacks/Pulumi.{spec.Name}.yaml (absent)"}");
        var width = secrets.Max(s => s.Key.Length);
        foreach (var secret in secrets)
        {
            stdout.WriteLine($"  {secret.Key.PadRight(width)}  {Describe(state[secret.Key]),-19}  {secret.Purpose}");
        }

        foreach (var secret in secrets.Where(s => state[s.Key] is not SecretState.Set))
        {
            stderr.WriteLine($"homelab secrets: {secret.Key} {Describe(state[secret.Key])} — {HowToSet(secret, state[secret.Key], spec.Name)}");
        }

        return state.Values.All(s => s is SecretState.Set) ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>Sets each missing key; null when all went through (the listing follows), else the exit code.</summary>
    private static int? SetMissing(string stack, IReadOnlyList<SecretRequirement> missing, ProjectDirectory workspace, IToolRunner tools, IReadOnlyDictionary<string, string?> environment, Func<string, string> passwords, TextWriter stdout, TextWriter stderr)
    {
        var settable = missing.Where(s => s.Kind is not SecretKind.SshPrivateKey).ToList();
        if (settable.Count == 0)
        {
            return null;
        }

        if (tools.Find("pulumi") is null)
        {
            throw new UsageException($"--set-missing stores each secret with pulumi config set, and 'pulumi' is not on PATH — {Prerequisites.PulumiInstall}");
        }

        // Every password first: a mistyped one stops here, before any key is written.
        var values = settable.ToDictionary(s => s.Key, s => s.Kind is SecretKind.BasicAuthHash ? HashFor(s.User!, passwords) : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), StringComparer.Ordinal);
        var session = new PulumiSession(tools, environment, stderr);
        var backend = session.ChooseBackend(workspace);
        if (backend.Source is BackendSource.LocalDefault)
        {
            if (PulumiBackend.MissingPassphrase(environment) is { } problem)
            {
                stderr.WriteLine(problem);
                return ExitCodes.BadInput;
            }

            Directory.CreateDirectory(Path.Combine(workspace.Root, PulumiBackend.StateFolder));
        }

        // pulumi config set encrypts with the stack's secrets provider, so the stack must exist in the backend.
        var selected = tools.Capture(PulumiSession.Pulumi(workspace, backend, stack, ["stack", "select", "--create", stack, "--non-interactive"]), PulumiTimeout);
        if (!selected.Succeeded)
        {
            stderr.Write(selected.Error);
            stderr.WriteLine($"homelab secrets: could not select or create stack '{stack}' in {backend.Description}; nothing was set");
            return ExitCodes.Failed;
        }

        foreach (var secret in settable)
        {
            var value = values[secret.Key];
            var call = PulumiSession.Pulumi(workspace, backend, stack, ["config", "set", "--secret", secret.Key, "--stack", stack, "--non-interactive"]) with { StandardInput = value };
            var set = tools.Capture(call, PulumiTimeout);
            if (!set.Succeeded)
            {
                stderr.WriteLine(set.Error.Replace(value, "[secret]", StringComparison.Ordinal).TrimEnd());
                stderr.WriteLine($"homelab secrets: pulumi config set --secret {secret.Key} failed (exit {set.ExitCode}); keys before it are set, run again to set the rest");
                return ExitCodes.Failed;
            }

            stdout.WriteLine(secret.Kind is SecretKind.BasicAuthHash
                ? $"set {secret.Key}: the bcrypt hash of the password typed for {secret.User}"
                : $"set {secret.Key}: 32 random bytes, hex — clients read it with: {SecretCommands.Get(secret.Key, stack)}");
        }

        return null;
    }

    private static string HashFor(string user, Func<string, string> passwords)
    {
        var password = passwords(user);
        return PasswordHasher.Problem(password) is { } problem
            ? throw new UsageException($"the password for basic-auth user {user}: {problem}; nothing was set")
            : PasswordHasher.Hash(password);
    }

    private static string StdinLine(string user) =>
        Console.In.ReadLine() is { } line
            ? line.TrimEnd('\r')
            : throw new UsageException($"stdin ended before the password for basic-auth user {user} — give one line per missing basic-auth user, in the order the stack lists them; nothing was set");

    private static string Describe(SecretState state) => state switch
    {
        SecretState.Set => "set",
        SecretState.PlainText => "set in plain text",
        _ => "not set",
    };

    private static string HowToSet(SecretRequirement secret, SecretState state, string stack) => (state, secret.Kind) switch
    {
        (SecretState.PlainText, _) => $"anyone with the repository can read it: {SecretCommands.Remove(secret.Key, stack)}, then set it again encrypted",
        (_, SecretKind.SshPrivateKey) => $"pulumi config set --secret {secret.Key} --stack {stack} < ~/.ssh/<private key file>",
        (_, SecretKind.BasicAuthHash) => $"{SecretCommands.SetMissing(stack)} (asks for {secret.User}'s password)",
        _ => SecretCommands.SetMissing(stack),
    };
}
